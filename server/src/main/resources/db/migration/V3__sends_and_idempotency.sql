-- The first result of each idempotent request, per user, app and key, so a retry gets it again.
CREATE TABLE idempotency_keys (
  user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id       TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash    TEXT NOT NULL,
  response_status INTEGER NOT NULL,
  response_body   TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  PRIMARY KEY (user_id, client_id, idempotency_key)
);

-- Who initiated a send, so the per-grant rolling 24-hour limit is one indexed sum.
ALTER TABLE ledger_transactions ADD COLUMN initiated_by TEXT;
CREATE INDEX ledger_transactions_limit ON ledger_transactions(initiated_by, client_id, currency, created_at);

-- A wallet's history is ordered by this hybrid clock (microseconds, strictly increasing within a
-- process) and then by id, so entries made in the same millisecond keep their order and a cursor
-- names one exact position.
ALTER TABLE postings ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX postings_wallet_seq ON postings(wallet_id, seq);
