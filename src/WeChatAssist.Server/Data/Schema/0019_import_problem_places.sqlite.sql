-- Schema version 19 (SQLite): each import problem keeps the township and village its row names, so errors.csv
-- tells staff where to look. Problems recorded before carry '' (their rows were not kept).
ALTER TABLE import_problems ADD COLUMN township TEXT NOT NULL DEFAULT '';
ALTER TABLE import_problems ADD COLUMN village TEXT NOT NULL DEFAULT '';
