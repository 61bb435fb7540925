-- Schema version 14 (PostgreSQL): budget holds per claimed batch (at the end), and tag broadcasts that know their
-- followers, so the four-mass-sends-a-month limit is counted per follower (broadcast_mass_quota, one row per app,
-- open id and China-time month) instead of per app.
-- Tags WeChatAssist created (POST /api/v1/admin/broadcasts/tags) and the followers it tagged in them.
CREATE TABLE broadcast_tags (
  app_id text NOT NULL,
  tag_id integer NOT NULL,
  policy_id text NOT NULL,
  name text NOT NULL,
  audience_kind text NOT NULL,
  audience_township text,
  audience_village text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (app_id, tag_id)
);
CREATE TABLE broadcast_tag_members (
  app_id text NOT NULL,
  tag_id integer NOT NULL,
  open_id text NOT NULL,
  resident_id bigint,
  PRIMARY KEY (app_id, tag_id, open_id)
);
-- Who each tag broadcast went to: route 'mass' (in the mass send, counted against the follower's month), 'outbox'
-- (at the limit: a per-resident template message instead) or 'skipped' (at the limit, and no per-resident message
-- possible: text too long for a template message, or no resident).
CREATE TABLE broadcast_recipients (
  broadcast_id bigint NOT NULL,
  app_id text NOT NULL,
  open_id text NOT NULL,
  resident_id bigint,
  month text NOT NULL,
  route text NOT NULL CHECK (route IN ('mass', 'outbox', 'skipped')),
  PRIMARY KEY (broadcast_id, open_id)
);
-- Why a broadcast failed or left followers out, for staff.
ALTER TABLE broadcasts ADD COLUMN last_error text;
-- The per-app month counter (open id '*') of schema 8 is no longer used.
DELETE FROM broadcast_mass_quota WHERE open_id = '*';

-- The share of the daily budget (send_budgets) each claimed batch holds until its rows' outcomes are recorded. A
-- dispatcher settles its hold chunk by chunk (accepted messages stay counted, the rest go back); a hold whose lease
-- expired (the node died or hung) is given back whole by the next sweep.
CREATE TABLE send_budget_holds (
  lease_token text NOT NULL,
  app_id text NOT NULL,
  day date NOT NULL,
  held integer NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (lease_token, app_id)
);
CREATE INDEX send_budget_holds_expiry ON send_budget_holds (expires_at);
