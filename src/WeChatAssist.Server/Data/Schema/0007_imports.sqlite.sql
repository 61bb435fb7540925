-- Schema version 7 (SQLite): data intake. One row per uploaded file (dry run or applied), its row-level problems,
-- and the registry's category history: which subsidised category a resident held from when to when, and which
-- import opened or closed it. Problem texts carry masked ID numbers and names only.
-- Instants are Unix milliseconds; dates are ISO 'YYYY-MM-DD' TEXT.
CREATE TABLE imports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  policy_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('hardship', 'changes', 'enrollment', 'tax')),
  mode TEXT NOT NULL CHECK (mode IN ('validate', 'apply')),
  status TEXT NOT NULL CHECK (status IN ('validated', 'applied', 'rejected', 'unreadable', 'duplicate')),
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_bytes INTEGER NOT NULL,
  staff_user TEXT NOT NULL,
  problem TEXT,
  total_rows INTEGER NOT NULL DEFAULT 0,
  error_rows INTEGER NOT NULL DEFAULT 0,
  skipped_rows INTEGER NOT NULL DEFAULT 0,
  residents_created INTEGER NOT NULL DEFAULT 0,
  categories_opened INTEGER NOT NULL DEFAULT 0,
  categories_closed INTEGER NOT NULL DEFAULT 0,
  payments_recorded INTEGER NOT NULL DEFAULT 0,
  unchanged_rows INTEGER NOT NULL DEFAULT 0,
  payment_batch_id TEXT,
  duplicate_of INTEGER,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX imports_recent ON imports (policy_id, started_at);
CREATE INDEX imports_sha ON imports (policy_id, kind, file_sha256) WHERE status = 'applied';

CREATE TABLE import_problems (
  import_id INTEGER NOT NULL REFERENCES imports (id),
  row_number INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('error', 'skipped')),
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  id_masked TEXT NOT NULL,
  name_masked TEXT NOT NULL
);
CREATE INDEX import_problems_import ON import_problems (import_id, row_number);

-- valid_from is null when the category predates the history (a registry row from before schema 7 left it);
-- valid_to is the exit day the department reported (the first day without it), null while the category holds.
-- opened_by_import / closed_by_import name the import (imports.id) without a foreign key: a 500,000-row list would
-- otherwise run 500,000 trigger checks against a row its own transaction just inserted.
CREATE TABLE resident_category_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  resident_id INTEGER NOT NULL REFERENCES residents (id),
  category_code TEXT NOT NULL,
  valid_from TEXT,
  valid_to TEXT,
  opened_by_import INTEGER,
  closed_by_import INTEGER
);
CREATE UNIQUE INDEX resident_category_history_open ON resident_category_history (resident_id, category_code) WHERE valid_to IS NULL;
CREATE INDEX resident_category_history_resident ON resident_category_history (resident_id);
