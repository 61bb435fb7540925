-- Schema version 5 (SQLite): the resident registry, mini-program sessions and bindings, staff accounts, audit.
-- Instants are Unix milliseconds as in the earlier versions; dates are ISO 'YYYY-MM-DD' text.
CREATE TABLE residents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  policy_id TEXT NOT NULL,
  township TEXT NOT NULL,
  village TEXT NOT NULL,
  name_encrypted TEXT NOT NULL,
  id_number_encrypted TEXT NOT NULL,
  id_hash TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  category_codes TEXT NOT NULL DEFAULT '',
  paid_year INTEGER,
  paid_on TEXT,
  created_at INTEGER NOT NULL,
  CONSTRAINT residents_policy_id_hash UNIQUE (policy_id, id_hash)
);
CREATE INDEX residents_scope ON residents (policy_id, township, village);

CREATE TABLE mp_sessions (
  session_id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  union_id TEXT,
  session_key_encrypted TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX mp_sessions_expiry ON mp_sessions (expires_at);

CREATE TABLE resident_bindings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  union_id TEXT,
  resident_id INTEGER NOT NULL REFERENCES residents (id),
  relation TEXT NOT NULL CHECK (relation IN ('self', 'family')),
  created_at INTEGER NOT NULL,
  CONSTRAINT resident_bindings_once UNIQUE (app_id, open_id, resident_id)
);
CREATE INDEX resident_bindings_union ON resident_bindings (union_id) WHERE union_id IS NOT NULL;

CREATE TABLE binding_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  success INTEGER NOT NULL
);
CREATE INDEX binding_attempts_recent ON binding_attempts (app_id, open_id, at);

CREATE TABLE staff_users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('bureau', 'township', 'village')),
  policy_id TEXT,
  township TEXT,
  village TEXT,
  failed_count INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  created_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  staff_user TEXT NOT NULL,
  action TEXT NOT NULL,
  resident_id INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX audit_log_resident ON audit_log (resident_id, at);

-- ASP.NET Core Data Protection key ring shared by all nodes (staff cookies, mini-program tokens).
CREATE TABLE data_protection_keys (
  friendly_name TEXT PRIMARY KEY,
  xml TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
