-- Schema version 9 (PostgreSQL): cadre share links, their attribution, and the indexes the console's progress queries use.
-- share_links: one row per link a cadre made for a village. wechat_* hold the parametric QR (scene 'link:{code}')
-- and the mini-program URL Link when WeChat issued them; both may be null and are retried when needed.
CREATE TABLE share_links (
  code text PRIMARY KEY,
  policy_id text NOT NULL,
  township text NOT NULL,
  village text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  wechat_qr_url text,
  mp_url_link text,
  mp_url_link_expires_at timestamptz
);
CREATE INDEX share_links_scope ON share_links (policy_id, township, village);

-- link_visits: landing-page views per link and business day; counts only, nothing about the visitor.
CREATE TABLE link_visits (
  code text NOT NULL REFERENCES share_links (code),
  day date NOT NULL,
  visits bigint NOT NULL,
  PRIMARY KEY (code, day)
);

-- link_payments: a payment attributed to the link its resident's WeChat user first arrived through (first touch).
CREATE TABLE link_payments (
  resident_id bigint NOT NULL REFERENCES residents (id),
  benefit_year integer NOT NULL,
  code text NOT NULL REFERENCES share_links (code),
  paid_on date NOT NULL,
  PRIMARY KEY (resident_id, benefit_year)
);
CREATE INDEX link_payments_code ON link_payments (code);

-- Attribution joins payments to bindings to QR scenes.
CREATE INDEX resident_bindings_resident ON resident_bindings (resident_id);
CREATE INDEX follower_scene_open_id ON follower_scene (open_id);

-- The console counts residents and payments per township and village; these let both be index-only scans.
CREATE INDEX residents_progress ON residents (policy_id, township, village, paid_year, paid_on, category_codes);
