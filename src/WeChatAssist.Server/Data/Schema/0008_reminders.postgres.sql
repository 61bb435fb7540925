-- Schema version 8 (PostgreSQL): reminders and broadcasts.
-- reminder_outbox: one row per message to send. dedupe_key = {policy}:{rule}:{resident}:{occurrence}:{channel} makes
-- planning idempotent (INSERT … ON CONFLICT DO NOTHING). Dispatchers claim due rows with FOR UPDATE SKIP LOCKED and a
-- lease (lease_owner, lease_until); a sweeper returns expired leases. status: pending, leased, sent, deferred (quota:
-- waits for send_after, the next quota day), failed (permanent or out of attempts; last_error_code says why), cancelled
-- (paid before sending, or a cancelled broadcast).
CREATE TABLE reminder_outbox (
  id bigserial PRIMARY KEY,
  dedupe_key text NOT NULL,
  policy_id text NOT NULL,
  rule text NOT NULL,
  kind text NOT NULL,
  resident_id bigint,
  app_id text NOT NULL,
  open_id text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('template', 'subscribe')),
  payload jsonb NOT NULL,
  send_after timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'leased', 'sent', 'deferred', 'failed', 'cancelled')),
  lease_owner text,
  lease_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error_code integer,
  last_error text,
  msgid bigint,
  broadcast_id bigint,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  requested_by text,
  CONSTRAINT reminder_outbox_dedupe UNIQUE (dedupe_key)
);
-- Claiming reads only due rows of the two claimable states.
CREATE INDEX reminder_outbox_claim ON reminder_outbox (send_after) WHERE status IN ('pending', 'deferred');
CREATE INDEX reminder_outbox_resident ON reminder_outbox (resident_id) WHERE status IN ('pending', 'deferred', 'leased');
CREATE INDEX reminder_outbox_lease ON reminder_outbox (lease_until) WHERE status = 'leased';
CREATE INDEX reminder_outbox_broadcast ON reminder_outbox (broadcast_id) WHERE broadcast_id IS NOT NULL;
-- Manual reminders per staff member and day (the daily limit).
CREATE INDEX reminder_outbox_requested ON reminder_outbox (requested_by) WHERE requested_by IS NOT NULL;

-- Per follower (app id + open id) and kind: opted out or back in. The chat's 退订/订阅 writes every kind.
CREATE TABLE reminder_preferences (
  app_id text NOT NULL,
  open_id text NOT NULL,
  kind text NOT NULL,
  opted_out boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (app_id, open_id, kind)
);

-- Subscribe-message consent (subscribe_msg_popup_event accept): each acceptance allows one message per template.
CREATE TABLE subscribe_consents (
  app_id text NOT NULL,
  open_id text NOT NULL,
  template_id text NOT NULL,
  remaining integer NOT NULL CHECK (remaining >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (app_id, open_id, template_id)
);

-- The daily message budget per app id, shared by every node (quota day in China time).
CREATE TABLE send_budgets (
  app_id text NOT NULL,
  day date NOT NULL,
  used integer NOT NULL,
  PRIMARY KEY (app_id, day)
);

-- Bureau broadcasts: composed, approved by a second bureau member, then sent by tag or through the outbox.
CREATE TABLE broadcasts (
  id bigserial PRIMARY KEY,
  policy_id text NOT NULL,
  title text NOT NULL,
  template_text text NOT NULL,
  audience_kind text NOT NULL CHECK (audience_kind IN ('all', 'township', 'village', 'tag', 'unpaid')),
  audience_township text,
  audience_village text,
  audience_tag_id integer,
  send_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'approved', 'sending', 'sent', 'cancelled', 'failed')),
  mode text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  approved_by text,
  approved_at timestamptz,
  cancelled_by text,
  sent_at timestamptz,
  mass_msg_id bigint,
  last_error_code integer
);

-- Mass sends per follower and month: WeChat delivers at most 4 per follower per month.
CREATE TABLE broadcast_mass_quota (
  app_id text NOT NULL,
  open_id text NOT NULL,
  month text NOT NULL,
  used integer NOT NULL,
  PRIMARY KEY (app_id, open_id, month)
);
