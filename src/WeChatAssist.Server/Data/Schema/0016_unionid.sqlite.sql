-- Schema version 16 (SQLite): one resident across the official account and the mini-program.
-- wechat_followers: what cgi-bin/user/info (or user/info/batchget) said about an official-account follower, fetched
-- when they subscribe and when they first write. union_id links them to their mini-program OpenID (resident_bindings,
-- mp_sessions) when both apps are bound to the same open-platform account; without one the chatbot cannot know them.
CREATE TABLE wechat_followers (
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  union_id TEXT,
  subscribed INTEGER NOT NULL,
  language TEXT,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, open_id)
);
CREATE INDEX wechat_followers_union ON wechat_followers (union_id) WHERE union_id IS NOT NULL;

-- Each channel a reminder row tried and how WeChat refused it (43101 no consent, 47003 bad data, 43004 not
-- following, ...). The row itself stays one per reminder occurrence and person; it moves to the other channel when
-- one is allowed, and a channel that refused it is never tried again for that row.
CREATE TABLE reminder_channel_failures (
  outbox_id INTEGER NOT NULL,
  app_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  open_id TEXT NOT NULL,
  error_code INTEGER NOT NULL,
  error TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (outbox_id, app_id, channel)
);
