-- Two-step verification (SPEC 7). One authenticator-app secret per user, encrypted with
-- AES-256-GCM under a server key (base64url of nonce, ciphertext and tag): the server must read it
-- back to check codes. While confirmed_at is NULL it is an enrolment in progress, kept here rather
-- than in a process's memory, as any process may serve the confirming request.
CREATE TABLE totp_secrets (
  user_id        TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret         TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  confirmed_at   BIGINT,
  -- The last 30-second step whose code was accepted: a code of that step or an earlier one is
  -- refused, so a code is used once even within its window.
  last_used_step BIGINT NOT NULL
);

-- One-time recovery codes, only as hashes; a used code's row is deleted.
CREATE TABLE recovery_codes (
  user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);

-- A sign-in whose password was right, waiting for its second step. The id is a random value in a
-- cookie of the browser that signed in; only its hash is here.
CREATE TABLE login_verifications (
  id_hash    TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  return_to  TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX login_verifications_expiry ON login_verifications(expires_at);
