-- Schema version 2 (SQLite): de-duplication keys for WeChat's webhook retries.
-- WeChat retries a message up to three times within ~15 s; every node records (account, key) here
-- and a unique violation means "already handled". Expired rows are swept by expires_at, stored here as Unix
-- milliseconds so that "expired before now" is an integer comparison SQLite can index.
CREATE TABLE message_dedupe (
  account TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (account, dedupe_key)
);
CREATE INDEX ix_message_dedupe_expires_at ON message_dedupe (expires_at);
