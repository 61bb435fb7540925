-- Schema version 9 (PostgreSQL): cadre share links, their attribution, and the console's progress counters.
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

-- The console's counts, kept up to date by triggers on residents whatever writes it (registry, ledger, imports,
-- the demo generator's COPY): a county dashboard sums a few thousand rows instead of scanning every resident.
-- progress_area_counts: residents per village, category combination and last paid year (0 = never paid).
CREATE TABLE progress_area_counts (
  policy_id text NOT NULL,
  township text NOT NULL,
  village text NOT NULL,
  category_codes text NOT NULL,
  paid_year integer NOT NULL,
  residents bigint NOT NULL,
  PRIMARY KEY (policy_id, township, village, category_codes, paid_year)
);
-- progress_day_counts: paid residents per village, paid year and payment day (the daily trend).
CREATE TABLE progress_day_counts (
  policy_id text NOT NULL,
  paid_year integer NOT NULL,
  paid_on date NOT NULL,
  township text NOT NULL,
  village text NOT NULL,
  residents bigint NOT NULL,
  PRIMARY KEY (policy_id, paid_year, paid_on, township, village)
);

-- One statement-level trigger per operation, set-based over the transition tables; rows are added in key order so
-- concurrent writers lock counters in the same order.
CREATE FUNCTION progress_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO progress_area_counts AS c (policy_id, township, village, category_codes, paid_year, residents)
  SELECT policy_id, township, village, category_codes, COALESCE(paid_year, 0), COUNT(*) FROM new_rows
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (policy_id, township, village, category_codes, paid_year) DO UPDATE SET residents = c.residents + excluded.residents;
  INSERT INTO progress_day_counts AS c (policy_id, paid_year, paid_on, township, village, residents)
  SELECT policy_id, paid_year, paid_on, township, village, COUNT(*) FROM new_rows WHERE paid_year IS NOT NULL AND paid_on IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (policy_id, paid_year, paid_on, township, village) DO UPDATE SET residents = c.residents + excluded.residents;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION progress_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO progress_area_counts AS c (policy_id, township, village, category_codes, paid_year, residents)
  SELECT policy_id, township, village, category_codes, COALESCE(paid_year, 0), -COUNT(*) FROM old_rows
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (policy_id, township, village, category_codes, paid_year) DO UPDATE SET residents = c.residents + excluded.residents;
  INSERT INTO progress_day_counts AS c (policy_id, paid_year, paid_on, township, village, residents)
  SELECT policy_id, paid_year, paid_on, township, village, -COUNT(*) FROM old_rows WHERE paid_year IS NOT NULL AND paid_on IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (policy_id, paid_year, paid_on, township, village) DO UPDATE SET residents = c.residents + excluded.residents;
  RETURN NULL;
END
$fn$;

-- An update moves a resident from their old counters to their new ones; updates of other columns net to nothing.
CREATE FUNCTION progress_counts_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO progress_area_counts AS c (policy_id, township, village, category_codes, paid_year, residents)
  SELECT policy_id, township, village, category_codes, y, SUM(d) FROM (
    SELECT policy_id, township, village, category_codes, COALESCE(paid_year, 0) AS y, -1 AS d FROM old_rows
    UNION ALL
    SELECT policy_id, township, village, category_codes, COALESCE(paid_year, 0), 1 FROM new_rows) x
  GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (policy_id, township, village, category_codes, paid_year) DO UPDATE SET residents = c.residents + excluded.residents;
  INSERT INTO progress_day_counts AS c (policy_id, paid_year, paid_on, township, village, residents)
  SELECT policy_id, paid_year, paid_on, township, village, SUM(d) FROM (
    SELECT policy_id, paid_year, paid_on, township, village, -1 AS d FROM old_rows WHERE paid_year IS NOT NULL AND paid_on IS NOT NULL
    UNION ALL
    SELECT policy_id, paid_year, paid_on, township, village, 1 FROM new_rows WHERE paid_year IS NOT NULL AND paid_on IS NOT NULL) x
  GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (policy_id, paid_year, paid_on, township, village) DO UPDATE SET residents = c.residents + excluded.residents;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER residents_progress_insert AFTER INSERT ON residents REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION progress_counts_insert();
CREATE TRIGGER residents_progress_delete AFTER DELETE ON residents REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION progress_counts_delete();
CREATE TRIGGER residents_progress_update AFTER UPDATE ON residents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION progress_counts_update();

-- Residents registered before this version.
INSERT INTO progress_area_counts (policy_id, township, village, category_codes, paid_year, residents)
SELECT policy_id, township, village, category_codes, COALESCE(paid_year, 0), COUNT(*) FROM residents GROUP BY 1, 2, 3, 4, 5;
INSERT INTO progress_day_counts (policy_id, paid_year, paid_on, township, village, residents)
SELECT policy_id, paid_year, paid_on, township, village, COUNT(*) FROM residents WHERE paid_year IS NOT NULL AND paid_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
