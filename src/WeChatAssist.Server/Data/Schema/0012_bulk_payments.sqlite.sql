-- Schema version 12 (SQLite): nothing to do. SQLite keeps payment_events' foreign key: its check is an index probe
-- without row locks, and SQLite cannot drop a constraint without rebuilding the table (payment_events and
-- resident_category_history keep theirs). Fill factors are PostgreSQL's.
SELECT 1;
