-- Schema version 7 (PostgreSQL): data intake. One row per uploaded file (dry run or applied), its row-level problems,
-- and the registry's category history: which subsidised category a resident held from when to when, and which
-- import opened or closed it. Problem texts carry masked ID numbers and names only.
CREATE TABLE imports (
  id bigserial PRIMARY KEY,
  policy_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('hardship', 'changes', 'enrollment', 'tax')),
  mode text NOT NULL CHECK (mode IN ('validate', 'apply')),
  status text NOT NULL CHECK (status IN ('validated', 'applied', 'rejected', 'unreadable', 'duplicate')),
  file_name text NOT NULL,
  file_sha256 text NOT NULL,
  file_bytes bigint NOT NULL,
  staff_user text NOT NULL,
  problem text,
  total_rows integer NOT NULL DEFAULT 0,
  error_rows integer NOT NULL DEFAULT 0,
  skipped_rows integer NOT NULL DEFAULT 0,
  residents_created integer NOT NULL DEFAULT 0,
  categories_opened integer NOT NULL DEFAULT 0,
  categories_closed integer NOT NULL DEFAULT 0,
  payments_recorded integer NOT NULL DEFAULT 0,
  unchanged_rows integer NOT NULL DEFAULT 0,
  payment_batch_id text,
  duplicate_of bigint,
  started_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX imports_recent ON imports (policy_id, started_at);
CREATE INDEX imports_sha ON imports (policy_id, kind, file_sha256) WHERE status = 'applied';

CREATE TABLE import_problems (
  import_id bigint NOT NULL REFERENCES imports (id),
  row_number integer NOT NULL,
  column_name text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('error', 'skipped')),
  code text NOT NULL,
  reason text NOT NULL,
  id_masked text NOT NULL,
  name_masked text NOT NULL
);
CREATE INDEX import_problems_import ON import_problems (import_id, row_number);

-- valid_from is null when the category predates the history (a registry row from before schema 7 left it);
-- valid_to is the exit day the department reported (the first day without it), null while the category holds.
-- opened_by_import / closed_by_import name the import (imports.id) without a foreign key: a 500,000-row list would
-- otherwise run 500,000 trigger checks against a row its own transaction just inserted.
CREATE TABLE resident_category_history (
  id bigserial PRIMARY KEY,
  resident_id bigint NOT NULL REFERENCES residents (id),
  category_code text NOT NULL,
  valid_from date,
  valid_to date,
  opened_by_import bigint,
  closed_by_import bigint
);
CREATE UNIQUE INDEX resident_category_history_open ON resident_category_history (resident_id, category_code) WHERE valid_to IS NULL;
CREATE INDEX resident_category_history_resident ON resident_category_history (resident_id);
