-- Schema version 8 (SQLite): reminders and broadcasts. Instants are Unix milliseconds, dates ISO text, flags 0/1,
-- payload JSON text.
-- reminder_outbox: one row per message to send. dedupe_key = {policy}:{rule}:{resident}:{occurrence}:{channel} makes
-- planning idempotent (INSERT … ON CONFLICT DO NOTHING). Dispatchers claim due rows with FOR UPDATE SKIP LOCKED and a
-- lease (lease_owner, lease_until); a sweeper returns expired leases. status: pending, leased, sent, deferred (quota:
-- waits for send_after, the next quota day), failed (permanent or out of attempts; last_error_code says why), cancelled
-- (paid before sending, or a cancelled broadcast).
CREATE TABLE reminder_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dedupe_key TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  rule TEXT NOT NULL,
  kind TEXT NOT NULL,
  resident_id INTEGER,
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('template', 'subscribe')),
  payload TEXT NOT NULL,
  send_after INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'leased', 'sent', 'deferred', 'failed', 'cancelled')),
  lease_owner TEXT,
  lease_until INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error_code INTEGER,
  last_error TEXT,
  msgid INTEGER,
  broadcast_id INTEGER,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  requested_by TEXT,
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
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  opted_out INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, open_id, kind)
);

-- Subscribe-message consent (subscribe_msg_popup_event accept): each acceptance allows one message per template.
CREATE TABLE subscribe_consents (
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  template_id TEXT NOT NULL,
  remaining INTEGER NOT NULL CHECK (remaining >= 0),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, open_id, template_id)
);

-- The daily message budget per app id, shared by every node (quota day in China time).
CREATE TABLE send_budgets (
  app_id TEXT NOT NULL,
  day TEXT NOT NULL,
  used INTEGER NOT NULL,
  PRIMARY KEY (app_id, day)
);

-- Bureau broadcasts: composed, approved by a second bureau member, then sent by tag or through the outbox.
CREATE TABLE broadcasts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  policy_id TEXT NOT NULL,
  title TEXT NOT NULL,
  template_text TEXT NOT NULL,
  audience_kind TEXT NOT NULL CHECK (audience_kind IN ('all', 'township', 'village', 'tag', 'unpaid')),
  audience_township TEXT,
  audience_village TEXT,
  audience_tag_id INTEGER,
  send_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'sending', 'sent', 'cancelled', 'failed')),
  mode TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  approved_by TEXT,
  approved_at INTEGER,
  cancelled_by TEXT,
  sent_at INTEGER,
  mass_msg_id INTEGER,
  last_error_code INTEGER
);

-- Mass sends per follower and month: WeChat delivers at most 4 per follower per month.
CREATE TABLE broadcast_mass_quota (
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  month TEXT NOT NULL,
  used INTEGER NOT NULL,
  PRIMARY KEY (app_id, open_id, month)
);
