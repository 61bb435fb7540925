-- Schema version 18 (PostgreSQL): correction outcomes through either channel.
-- Each channel a correction's outcome message tried and how WeChat refused it there (43101 no consent, 47003 bad
-- data, 43004 not following). The message is one per outcome and person: it goes on to the person's next channel
-- (mini-program subscribe message, then the official-account follower sharing the unionid), and a channel that
-- refused it is never tried again for that correction.
CREATE TABLE correction_channel_failures (
  correction_id bigint NOT NULL,
  app_id text NOT NULL,
  channel text NOT NULL,
  open_id text NOT NULL,
  error_code integer NOT NULL,
  error text,
  at timestamptz NOT NULL,
  PRIMARY KEY (correction_id, app_id, channel)
);
