-- Schema version 9 (SQLite): cadre share links, their attribution, and the indexes the console's progress queries use.
-- Instants are Unix milliseconds, dates ISO 'YYYY-MM-DD' text, as in the earlier versions.
CREATE TABLE share_links (
  code TEXT PRIMARY KEY,
  policy_id TEXT NOT NULL,
  township TEXT NOT NULL,
  village TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  wechat_qr_url TEXT,
  mp_url_link TEXT,
  mp_url_link_expires_at INTEGER
);
CREATE INDEX share_links_scope ON share_links (policy_id, township, village);

-- link_visits: landing-page views per link and business day; counts only, nothing about the visitor.
CREATE TABLE link_visits (
  code TEXT NOT NULL REFERENCES share_links (code),
  day TEXT NOT NULL,
  visits INTEGER NOT NULL,
  PRIMARY KEY (code, day)
);

-- link_payments: a payment attributed to the link its resident's WeChat user first arrived through (first touch).
CREATE TABLE link_payments (
  resident_id INTEGER NOT NULL REFERENCES residents (id),
  benefit_year INTEGER NOT NULL,
  code TEXT NOT NULL REFERENCES share_links (code),
  paid_on TEXT NOT NULL,
  PRIMARY KEY (resident_id, benefit_year)
);
CREATE INDEX link_payments_code ON link_payments (code);

CREATE INDEX resident_bindings_resident ON resident_bindings (resident_id);
CREATE INDEX follower_scene_open_id ON follower_scene (open_id);
CREATE INDEX residents_progress ON residents (policy_id, township, village, paid_year, paid_on, category_codes);
