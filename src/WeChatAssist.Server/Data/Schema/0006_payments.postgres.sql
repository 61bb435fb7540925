-- Schema version 6 (PostgreSQL): recorded payments. One row per resident and benefit year; a re-import adds nothing.
-- batch_id groups the rows one recording added, so features that react to payments (pending reminders cancelled,
-- dashboards, link attribution) can do it set-based inside the same transaction.
CREATE TABLE payment_events (
  id bigserial PRIMARY KEY,
  resident_id bigint NOT NULL REFERENCES residents (id),
  benefit_year integer NOT NULL,
  paid_on date NOT NULL,
  amount_fen integer,
  source text NOT NULL,
  batch_id text NOT NULL,
  recorded_at timestamptz NOT NULL,
  CONSTRAINT payment_events_once UNIQUE (resident_id, benefit_year)
);
CREATE INDEX payment_events_batch ON payment_events (batch_id);
CREATE INDEX payment_events_day ON payment_events (paid_on);
