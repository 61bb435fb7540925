-- Schema version 4 (SQLite): the resident chatbot.
-- chat_dialogue_state: one row per follower, the JSON of the dialogue state, expiring (Unix ms, swept by expires_at).
CREATE TABLE chat_dialogue_state (
  account TEXT NOT NULL,
  open_id TEXT NOT NULL,
  state TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (account, open_id)
);
CREATE INDEX ix_chat_dialogue_state_expires_at ON chat_dialogue_state (expires_at);
-- follower_scene: every arrival through a parametric QR code (subscribe qrscene_ or SCAN), for cadre attribution.
CREATE TABLE follower_scene (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  open_id TEXT NOT NULL,
  scene TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX ix_follower_scene_account_scene ON follower_scene (account, scene);
-- chat_reminder_choice: whether a follower asked for payment reminders.
CREATE TABLE chat_reminder_choice (
  account TEXT NOT NULL,
  open_id TEXT NOT NULL,
  subscribed INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account, open_id)
);
