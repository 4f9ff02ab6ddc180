-- The grant's threshold (SPEC 1.2): sends of more than this, in the send limit's currency and its
-- minor units, must each be confirmed by the user. NULL: none must (the operator's floor aside).
ALTER TABLE consents ADD COLUMN send_confirm_above_minor BIGINT;

-- Sends waiting for, or answered by, the user's confirmation (SPEC 1.6). A confirmation is bound
-- to the user, the app, the Idempotency-Key and the hash of the exact request body; it keeps what
-- the user is shown. state: pending, confirmed or rejected; a pending one past expires_at is dead.
CREATE TABLE send_confirmations (
  id                  TEXT PRIMARY KEY,
  user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id           TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
  idempotency_key     TEXT NOT NULL,
  body_hash           TEXT NOT NULL,
  recipient_wallet_id TEXT NOT NULL,
  amount_minor        BIGINT NOT NULL,
  currency            TEXT NOT NULL,
  note                TEXT NOT NULL,
  state               TEXT NOT NULL,
  created_at          BIGINT NOT NULL,
  expires_at          BIGINT NOT NULL,
  decided_at          BIGINT
);
CREATE INDEX send_confirmations_request ON send_confirmations(user_id, client_id, idempotency_key, created_at);
CREATE INDEX send_confirmations_expiry ON send_confirmations(expires_at);
