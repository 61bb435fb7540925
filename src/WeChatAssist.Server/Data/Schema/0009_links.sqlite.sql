-- Schema version 9 (SQLite): cadre share links, their attribution, and the console's progress counters.
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

-- The console's counts, kept up to date by triggers on residents whatever writes it (see the PostgreSQL script).
CREATE TABLE progress_area_counts (
  policy_id TEXT NOT NULL,
  township TEXT NOT NULL,
  village TEXT NOT NULL,
  category_codes TEXT NOT NULL,
  paid_year INTEGER NOT NULL,
  residents INTEGER NOT NULL,
  PRIMARY KEY (policy_id, township, village, category_codes, paid_year)
);
CREATE TABLE progress_day_counts (
  policy_id TEXT NOT NULL,
  paid_year INTEGER NOT NULL,
  paid_on TEXT NOT NULL,
  township TEXT NOT NULL,
  village TEXT NOT NULL,
  residents INTEGER NOT NULL,
  PRIMARY KEY (policy_id, paid_year, paid_on, township, village)
);

CREATE TRIGGER residents_progress_insert AFTER INSERT ON residents BEGIN
  INSERT INTO progress_area_counts (policy_id, township, village, category_codes, paid_year, residents)
  VALUES (NEW.policy_id, NEW.township, NEW.village, NEW.category_codes, COALESCE(NEW.paid_year, 0), 1)
  ON CONFLICT (policy_id, township, village, category_codes, paid_year) DO UPDATE SET residents = residents + 1;
  INSERT INTO progress_day_counts (policy_id, paid_year, paid_on, township, village, residents)
  SELECT NEW.policy_id, NEW.paid_year, NEW.paid_on, NEW.township, NEW.village, 1 WHERE NEW.paid_year IS NOT NULL AND NEW.paid_on IS NOT NULL
  ON CONFLICT (policy_id, paid_year, paid_on, township, village) DO UPDATE SET residents = residents + 1;
END;

CREATE TRIGGER residents_progress_delete AFTER DELETE ON residents BEGIN
  UPDATE progress_area_counts SET residents = residents - 1
  WHERE policy_id = OLD.policy_id AND township = OLD.township AND village = OLD.village AND category_codes = OLD.category_codes AND paid_year = COALESCE(OLD.paid_year, 0);
  UPDATE progress_day_counts SET residents = residents - 1
  WHERE policy_id = OLD.policy_id AND paid_year = OLD.paid_year AND paid_on = OLD.paid_on AND township = OLD.township AND village = OLD.village;
END;

CREATE TRIGGER residents_progress_update AFTER UPDATE OF policy_id, township, village, category_codes, paid_year, paid_on ON residents BEGIN
  UPDATE progress_area_counts SET residents = residents - 1
  WHERE policy_id = OLD.policy_id AND township = OLD.township AND village = OLD.village AND category_codes = OLD.category_codes AND paid_year = COALESCE(OLD.paid_year, 0);
  UPDATE progress_day_counts SET residents = residents - 1
  WHERE policy_id = OLD.policy_id AND paid_year = OLD.paid_year AND paid_on = OLD.paid_on AND township = OLD.township AND village = OLD.village;
  INSERT INTO progress_area_counts (policy_id, township, village, category_codes, paid_year, residents)
  VALUES (NEW.policy_id, NEW.township, NEW.village, NEW.category_codes, COALESCE(NEW.paid_year, 0), 1)
  ON CONFLICT (policy_id, township, village, category_codes, paid_year) DO UPDATE SET residents = residents + 1;
  INSERT INTO progress_day_counts (policy_id, paid_year, paid_on, township, village, residents)
  SELECT NEW.policy_id, NEW.paid_year, NEW.paid_on, NEW.township, NEW.village, 1 WHERE NEW.paid_year IS NOT NULL AND NEW.paid_on IS NOT NULL
  ON CONFLICT (policy_id, paid_year, paid_on, township, village) DO UPDATE SET residents = residents + 1;
END;

-- Residents registered before this version.
INSERT INTO progress_area_counts (policy_id, township, village, category_codes, paid_year, residents)
SELECT policy_id, township, village, category_codes, COALESCE(paid_year, 0), COUNT(*) FROM residents GROUP BY 1, 2, 3, 4, 5;
INSERT INTO progress_day_counts (policy_id, paid_year, paid_on, township, village, residents)
SELECT policy_id, paid_year, paid_on, township, village, COUNT(*) FROM residents WHERE paid_year IS NOT NULL AND paid_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
