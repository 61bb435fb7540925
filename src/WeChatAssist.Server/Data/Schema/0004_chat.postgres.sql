-- Schema version 4 (PostgreSQL): the resident chatbot.
-- chat_dialogue_state: one row per follower, the JSON of the dialogue state, expiring (Unix ms, swept by expires_at).
CREATE TABLE chat_dialogue_state (
  account text NOT NULL,
  open_id text NOT NULL,
  state text NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (account, open_id)
);
CREATE INDEX ix_chat_dialogue_state_expires_at ON chat_dialogue_state (expires_at);
-- follower_scene: every arrival through a parametric QR code (subscribe qrscene_ or SCAN), for cadre attribution.
CREATE TABLE follower_scene (
  id bigserial PRIMARY KEY,
  account text NOT NULL,
  open_id text NOT NULL,
  scene text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX ix_follower_scene_account_scene ON follower_scene (account, scene);
-- chat_reminder_choice: whether a follower asked for payment reminders.
CREATE TABLE chat_reminder_choice (
  account text NOT NULL,
  open_id text NOT NULL,
  subscribed boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (account, open_id)
);
