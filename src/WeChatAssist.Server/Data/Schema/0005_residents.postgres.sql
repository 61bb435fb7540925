-- Schema version 5 (PostgreSQL): the resident registry, mini-program sessions and bindings, staff accounts, audit.
-- Names and 身份证 numbers are stored only encrypted (PersonalDataProtector: "{keyId}:{base64}") and found by
-- id_hash, an HMAC-SHA256 under PersonalData:LookupKey.
CREATE TABLE residents (
  id bigserial PRIMARY KEY,
  policy_id text NOT NULL,
  township text NOT NULL,
  village text NOT NULL,
  name_encrypted text NOT NULL,
  id_number_encrypted text NOT NULL,
  id_hash text NOT NULL,
  birth_date date NOT NULL,
  category_codes text NOT NULL DEFAULT '',
  paid_year integer,
  paid_on date,
  created_at timestamptz NOT NULL,
  CONSTRAINT residents_policy_id_hash UNIQUE (policy_id, id_hash)
);
CREATE INDEX residents_scope ON residents (policy_id, township, village);

CREATE TABLE mp_sessions (
  session_id text PRIMARY KEY,
  account text NOT NULL,
  app_id text NOT NULL,
  open_id text NOT NULL,
  union_id text,
  session_key_encrypted text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX mp_sessions_expiry ON mp_sessions (expires_at);

CREATE TABLE resident_bindings (
  id bigserial PRIMARY KEY,
  app_id text NOT NULL,
  open_id text NOT NULL,
  union_id text,
  resident_id bigint NOT NULL REFERENCES residents (id),
  relation text NOT NULL CHECK (relation IN ('self', 'family')),
  created_at timestamptz NOT NULL,
  CONSTRAINT resident_bindings_once UNIQUE (app_id, open_id, resident_id)
);
CREATE INDEX resident_bindings_union ON resident_bindings (union_id) WHERE union_id IS NOT NULL;

CREATE TABLE binding_attempts (
  id bigserial PRIMARY KEY,
  app_id text NOT NULL,
  open_id text NOT NULL,
  at timestamptz NOT NULL,
  success boolean NOT NULL
);
CREATE INDEX binding_attempts_recent ON binding_attempts (app_id, open_id, at);

CREATE TABLE staff_users (
  id bigserial PRIMARY KEY,
  user_name text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('bureau', 'township', 'village')),
  policy_id text,
  township text,
  village text,
  failed_count integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  staff_user text NOT NULL,
  action text NOT NULL,
  resident_id bigint NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX audit_log_resident ON audit_log (resident_id, at);

-- ASP.NET Core Data Protection key ring shared by all nodes (staff cookies, mini-program tokens).
CREATE TABLE data_protection_keys (
  friendly_name text PRIMARY KEY,
  xml text NOT NULL,
  created_at timestamptz NOT NULL
);
