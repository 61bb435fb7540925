-- Placeholder for schema version 18, which another branch of issue #16 adds. DELETE THIS FILE when that
-- branch is merged: version 20 needs 18 and 19 before it (SchemaCatalog refuses gaps).
SELECT 1;
