-- Schema version 17 (SQLite): policy drafts a bureau member uploads and a second one approves, and the published
-- policies (versioned per policy id, immutable: a correction is a new version). Instants are Unix milliseconds.
CREATE TABLE policy_drafts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  policy_id TEXT,
  county TEXT,
  file_name TEXT NOT NULL,
  yaml TEXT NOT NULL,
  faults TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  uploaded_by TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  approved_by TEXT,
  approved_at INTEGER
);
CREATE INDEX policy_drafts_status ON policy_drafts (status, id);

CREATE TABLE published_policies (
  policy_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  yaml TEXT NOT NULL,
  draft_id INTEGER NOT NULL REFERENCES policy_drafts (id),
  uploaded_by TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE TRIGGER published_policies_no_update BEFORE UPDATE ON published_policies
BEGIN
  SELECT RAISE(ABORT, 'published policies are immutable: publish a new version instead');
END;
CREATE TRIGGER published_policies_no_delete BEFORE DELETE ON published_policies
BEGIN
  SELECT RAISE(ABORT, 'published policies are immutable: publish a new version instead');
END;
