-- Schema version 16 (PostgreSQL): one resident across the official account and the mini-program.
-- wechat_followers: what cgi-bin/user/info (or user/info/batchget) said about an official-account follower, fetched
-- when they subscribe and when they first write. union_id links them to their mini-program OpenID (resident_bindings,
-- mp_sessions) when both apps are bound to the same open-platform account; without one the chatbot cannot know them.
CREATE TABLE wechat_followers (
  app_id text NOT NULL,
  open_id text NOT NULL,
  union_id text,
  subscribed boolean NOT NULL,
  language text,
  fetched_at timestamptz NOT NULL,
  PRIMARY KEY (app_id, open_id)
);
CREATE INDEX wechat_followers_union ON wechat_followers (union_id) WHERE union_id IS NOT NULL;

-- Each channel a reminder row tried and how WeChat refused it (43101 no consent, 47003 bad data, 43004 not
-- following, ...). The row itself stays one per reminder occurrence and person; it moves to the other channel when
-- one is allowed, and a channel that refused it is never tried again for that row.
CREATE TABLE reminder_channel_failures (
  outbox_id bigint NOT NULL,
  app_id text NOT NULL,
  channel text NOT NULL,
  open_id text NOT NULL,
  error_code integer NOT NULL,
  error text,
  at timestamptz NOT NULL,
  PRIMARY KEY (outbox_id, app_id, channel)
);
