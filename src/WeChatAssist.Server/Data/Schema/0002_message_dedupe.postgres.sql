-- Schema version 2 (PostgreSQL): de-duplication keys for WeChat's webhook retries.
-- WeChat retries a message up to three times within ~15 s; every node records (account, key) here
-- and a unique violation means "already handled". Expired rows are swept by expires_at.
CREATE TABLE message_dedupe (
  account text NOT NULL,
  dedupe_key text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (account, dedupe_key)
);
CREATE INDEX ix_message_dedupe_expires_at ON message_dedupe (expires_at);
