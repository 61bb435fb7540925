-- Placeholder for schema version 16, which another branch owns. It exists only so this branch's version 17 has no
-- gap while the branches are apart; when merging, delete this file in favour of the real 0016.
SELECT 1;
