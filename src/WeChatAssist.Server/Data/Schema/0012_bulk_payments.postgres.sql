-- Schema version 12 (PostgreSQL): recording a tax file's payments in bulk.
-- payment_events.resident_id keeps its meaning (a resident of the registry) without the row-by-row foreign-key check.
-- That check runs a query and locks the resident's row for every inserted payment: 2–5 s of a 500,000-row tax file. Instead the ledger's inserts join the registry (one set-based check per batch), and
-- the trigger below keeps the other half of the guarantee: a resident with payments can be neither deleted nor given
-- another id (neither ever happens; the registry only corrects names, ID numbers and addresses).
ALTER TABLE payment_events DROP CONSTRAINT payment_events_resident_id_fkey;

CREATE FUNCTION residents_keep_payments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'DELETE' OR NEW.id <> OLD.id) AND EXISTS (SELECT 1 FROM payment_events p WHERE p.resident_id = OLD.id) THEN
    RAISE EXCEPTION 'resident % has recorded payments', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE TRIGGER residents_keep_payments BEFORE DELETE OR UPDATE OF id ON residents
  FOR EACH ROW EXECUTE FUNCTION residents_keep_payments();

-- Every resident is marked paid about once a benefit year, and a tax file marks most of a county at once. At 80 % fill
-- a page has room for the new versions of only a few of its rows, so most updates leave the page and add an entry to
-- each of the table's indexes (one of them a unique index of random hashes): 500,000 marks took 22 s. At 50 % every
-- new version fits on its page (heap-only updates, no index entries): 4 s. After the first season's updates and
-- vacuum a table has this much free space anyway; this reserves it from the start. Applies to pages written from now on.
ALTER TABLE residents SET (fillfactor = 50);
