-- Schema version 12 (PostgreSQL): recording a county's payments and category history in bulk.
-- payment_events.resident_id and resident_category_history.resident_id keep their meaning (a resident of the
-- registry) without the row-by-row foreign-key check. That check runs a query and locks the resident's row for every
-- inserted row: 2–5 s of a 500,000-row tax file, 2 s of a 500,000-person hardship list. Instead the writers check set
-- by set: the ledger's inserts join the registry, and an import verifies its history rows against the registry in one
-- query before it commits. The trigger below keeps the other half of the guarantee: a resident with payments or
-- category history can be neither deleted nor given another id (neither ever happens; the registry only corrects
-- names, ID numbers and addresses).
ALTER TABLE payment_events DROP CONSTRAINT payment_events_resident_id_fkey;
ALTER TABLE resident_category_history DROP CONSTRAINT resident_category_history_resident_id_fkey;

CREATE FUNCTION residents_keep_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'DELETE' OR NEW.id <> OLD.id)
     AND (EXISTS (SELECT 1 FROM payment_events p WHERE p.resident_id = OLD.id)
          OR EXISTS (SELECT 1 FROM resident_category_history h WHERE h.resident_id = OLD.id)) THEN
    RAISE EXCEPTION 'resident % has recorded payments or category history', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE TRIGGER residents_keep_records BEFORE DELETE OR UPDATE OF id ON residents
  FOR EACH ROW EXECUTE FUNCTION residents_keep_records();

-- Every resident is marked paid about once a benefit year, and a tax file marks most of a county at once. At 80 % fill
-- a page has room for the new versions of only a few of its rows, so most updates leave the page and add an entry to
-- each of the table's indexes (one of them a unique index of random hashes): 500,000 marks took 22 s. At 50 % every
-- new version fits on its page (heap-only updates, no index entries): 4 s. After the first season's updates and
-- vacuum a table has this much free space anyway; this reserves it from the start. Applies to pages written from now on.
ALTER TABLE residents SET (fillfactor = 50);
