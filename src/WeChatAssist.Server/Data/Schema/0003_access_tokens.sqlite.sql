-- Schema version 3 (SQLite): WeChat access tokens and JS-SDK tickets shared by every node.
-- Instants are Unix milliseconds, as in message_dedupe, so lease and expiry checks are integer comparisons.
CREATE TABLE access_tokens (
  token_key TEXT PRIMARY KEY,
  token TEXT,
  expires_at INTEGER,
  lease_owner TEXT,
  lease_until INTEGER,
  updated_at INTEGER NOT NULL
);
