-- Placeholder for schema version 15, which another branch owns. It exists only so this branch's version 16 has no
-- gap while the branches are apart; when merging, delete this file in favour of the real 0015.
SELECT 1;
