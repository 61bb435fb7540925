-- Schema version 13 (SQLite): what happens to a correction after its review.
-- The outcome message is retried: notify_status is null while the correction is pending, then 'queued' (first send
-- due), 'retrying' (a transient failure; next send at notify_next_at), 'sent' or 'failed' (a permanent refusal, its
-- code in notify_error_code, or attempts used up). notify_next_at doubles as the sender's lease. reviewed_on is the
-- business date of the review, which the message shows whenever it is sent.
-- Instants are Unix milliseconds; dates are ISO 'YYYY-MM-DD' TEXT.
ALTER TABLE corrections ADD COLUMN reviewed_on TEXT;
ALTER TABLE corrections ADD COLUMN notify_status TEXT CHECK (notify_status IN ('queued', 'retrying', 'sent', 'failed'));
ALTER TABLE corrections ADD COLUMN notify_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corrections ADD COLUMN notify_next_at INTEGER;
ALTER TABLE corrections ADD COLUMN notify_error_code INTEGER;
-- Reviews before this version were tried once and never again.
UPDATE corrections SET notify_status = CASE WHEN notified_at IS NOT NULL THEN 'sent' ELSE 'failed' END, notify_attempts = 1,
  reviewed_on = date(reviewed_at / 1000, 'unixepoch', '+8 hours')
  WHERE status <> 'pending';
CREATE INDEX corrections_notify_due ON corrections (notify_next_at) WHERE notify_status IN ('queued', 'retrying');

-- Photos are deleted Corrections:PhotoRetention after the review (never while pending): photo_file is cleared and
-- photo_deleted_at says when, so the correction still shows that there was a photo.
ALTER TABLE corrections ADD COLUMN photo_deleted_at INTEGER;
CREATE INDEX corrections_photo_kept ON corrections (reviewed_at) WHERE photo_file IS NOT NULL AND status <> 'pending';

-- An approved category correction closes and opens category history spans as an import's change list does; these
-- name the correction (corrections.id). No foreign key, like the import columns: imports COPY hundreds of thousands
-- of history rows, and every foreign key on the table would cost a trigger per row.
ALTER TABLE resident_category_history ADD COLUMN opened_by_correction INTEGER;
ALTER TABLE resident_category_history ADD COLUMN closed_by_correction INTEGER;
