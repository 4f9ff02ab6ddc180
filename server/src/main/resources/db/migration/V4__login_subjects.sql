-- One row per sign-in subject (account:<sha256 of email>, ip:<IPv4> or ip:<IPv6 /64>). An attempt upserts
-- its subjects' rows before counting their failures: the upsert holds the row until the attempt's
-- transaction ends, so concurrent attempts on one subject are counted one after another, in every
-- server process (PostgreSQL runs them at READ COMMITTED; SQLite has one writer at a time anyway).
CREATE TABLE login_subjects (
  subject         TEXT PRIMARY KEY,
  last_attempt_at BIGINT NOT NULL
);
CREATE INDEX login_subjects_last_attempt ON login_subjects(last_attempt_at);
