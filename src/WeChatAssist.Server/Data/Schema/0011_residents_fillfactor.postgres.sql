-- Schema version 11 (PostgreSQL): leave room on every residents page so that marking a payment (paid_year, paid_on,
-- neither indexed) is a heap-only update instead of a new tuple plus an entry in each of the table's indexes; a
-- county's tax file marks hundreds of thousands of rows at once. Applies to pages written from now on.
ALTER TABLE residents SET (fillfactor = 80);
