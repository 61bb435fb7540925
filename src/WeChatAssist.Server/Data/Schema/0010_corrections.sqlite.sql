-- Schema version 10 (SQLite): registration corrections, the registry's change history, payment intents, and
-- staff account management (disable, security stamp). Values that may be personal data are stored only encrypted
-- (PersonalDataProtector); correction photos live outside the database under a random file name.
-- Instants are Unix milliseconds.
ALTER TABLE residents ADD COLUMN address_encrypted TEXT;
ALTER TABLE residents ADD COLUMN household_code TEXT;

CREATE TABLE corrections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  resident_id INTEGER NOT NULL REFERENCES residents (id),
  account TEXT NOT NULL,
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field IN ('name', 'idNumber', 'address', 'township', 'village', 'household', 'category')),
  new_value_encrypted TEXT NOT NULL,
  photo_file TEXT,
  photo_content_type TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  reason TEXT,
  reviewed_by TEXT,
  reviewed_at INTEGER,
  notified_at INTEGER,
  notify_error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX corrections_resident ON corrections (resident_id, id);
CREATE INDEX corrections_submitter ON corrections (app_id, open_id, id);
CREATE INDEX corrections_pending ON corrections (status, id);

CREATE TABLE resident_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  resident_id INTEGER NOT NULL REFERENCES residents (id),
  field TEXT NOT NULL,
  old_value_encrypted TEXT,
  new_value_encrypted TEXT,
  correction_id INTEGER REFERENCES corrections (id),
  staff_user TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX resident_history_resident ON resident_history (resident_id, at);

CREATE TABLE payment_intents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  resident_id INTEGER NOT NULL REFERENCES residents (id),
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  benefit_year INTEGER NOT NULL,
  tier INTEGER,
  amount_fen INTEGER NOT NULL,
  channel TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX payment_intents_resident ON payment_intents (resident_id, created_at);

ALTER TABLE staff_users ADD COLUMN disabled_at INTEGER;
ALTER TABLE staff_users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';

-- Staff actions that concern no resident (account management); reads and changes of residents stay in audit_log.
CREATE TABLE staff_audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  staff_user TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX staff_audit_log_at ON staff_audit_log (at);
