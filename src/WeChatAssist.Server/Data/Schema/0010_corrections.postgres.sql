-- Schema version 10 (PostgreSQL): registration corrections, the registry's change history, payment intents, and
-- staff account management (disable, security stamp). Values that may be personal data are stored only encrypted
-- (PersonalDataProtector); correction photos live outside the database under a random file name.
ALTER TABLE residents ADD COLUMN address_encrypted text;
ALTER TABLE residents ADD COLUMN household_code text;

CREATE TABLE corrections (
  id bigserial PRIMARY KEY,
  resident_id bigint NOT NULL REFERENCES residents (id),
  account text NOT NULL,
  app_id text NOT NULL,
  open_id text NOT NULL,
  field text NOT NULL CHECK (field IN ('name', 'idNumber', 'address', 'township', 'village', 'household', 'category')),
  new_value_encrypted text NOT NULL,
  photo_file text,
  photo_content_type text,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  reason text,
  reviewed_by text,
  reviewed_at timestamptz,
  notified_at timestamptz,
  notify_error text,
  created_at timestamptz NOT NULL
);
CREATE INDEX corrections_resident ON corrections (resident_id, id);
CREATE INDEX corrections_submitter ON corrections (app_id, open_id, id);
CREATE INDEX corrections_pending ON corrections (status, id);

CREATE TABLE resident_history (
  id bigserial PRIMARY KEY,
  resident_id bigint NOT NULL REFERENCES residents (id),
  field text NOT NULL,
  old_value_encrypted text,
  new_value_encrypted text,
  correction_id bigint REFERENCES corrections (id),
  staff_user text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX resident_history_resident ON resident_history (resident_id, at);

CREATE TABLE payment_intents (
  id bigserial PRIMARY KEY,
  resident_id bigint NOT NULL REFERENCES residents (id),
  app_id text NOT NULL,
  open_id text NOT NULL,
  benefit_year integer NOT NULL,
  tier integer,
  amount_fen bigint NOT NULL,
  channel text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX payment_intents_resident ON payment_intents (resident_id, created_at);

ALTER TABLE staff_users ADD COLUMN disabled_at timestamptz;
ALTER TABLE staff_users ADD COLUMN security_stamp text NOT NULL DEFAULT '';

-- Staff actions that concern no resident (account management); reads and changes of residents stay in audit_log.
CREATE TABLE staff_audit_log (
  id bigserial PRIMARY KEY,
  staff_user text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX staff_audit_log_at ON staff_audit_log (at);
