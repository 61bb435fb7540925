-- Schema version 11 (SQLite): nothing to do; PostgreSQL's fillfactor has no SQLite counterpart.
SELECT 1;
