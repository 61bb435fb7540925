-- Placeholder for schema version 12, which belongs to another branch (issue #6 delivery gaps use 13).
-- DELETE THIS FILE at merge: it only keeps versions without gaps so this branch can run on its own.
SELECT 1;
