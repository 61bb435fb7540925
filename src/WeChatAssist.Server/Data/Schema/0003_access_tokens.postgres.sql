-- Schema version 3 (PostgreSQL): WeChat access tokens and JS-SDK tickets shared by every node.
-- One row per token key (app id, or app id + ticket kind). lease_owner/lease_until make sure only one node
-- refreshes at a time; the others keep using the stored token or wait for the new one.
CREATE TABLE access_tokens (
  token_key text PRIMARY KEY,
  token text,
  expires_at timestamptz,
  lease_owner text,
  lease_until timestamptz,
  updated_at timestamptz NOT NULL
);
