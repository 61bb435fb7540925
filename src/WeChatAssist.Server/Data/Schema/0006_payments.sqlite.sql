-- Schema version 6 (SQLite): recorded payments. One row per resident and benefit year; a re-import adds nothing.
-- batch_id groups the rows one recording added, so features that react to payments can do it set-based inside the
-- same transaction. recorded_at is Unix milliseconds; paid_on is ISO text.
CREATE TABLE payment_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  resident_id INTEGER NOT NULL REFERENCES residents (id),
  benefit_year INTEGER NOT NULL,
  paid_on TEXT NOT NULL,
  amount_fen INTEGER,
  source TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  CONSTRAINT payment_events_once UNIQUE (resident_id, benefit_year)
);
CREATE INDEX payment_events_batch ON payment_events (batch_id);
CREATE INDEX payment_events_day ON payment_events (paid_on);
