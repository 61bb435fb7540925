-- Schema version 19 (PostgreSQL): each import problem keeps the township and village its row names, so errors.csv
-- tells staff where to look. Problems recorded before carry '' (their rows were not kept).
ALTER TABLE import_problems ADD COLUMN township text NOT NULL DEFAULT '';
ALTER TABLE import_problems ADD COLUMN village text NOT NULL DEFAULT '';
