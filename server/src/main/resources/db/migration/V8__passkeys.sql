-- Passkeys (SPEC 7): WebAuthn credentials a user registered, found by their credential id when
-- one signs in. Only public keys are here; the private key never leaves the user's device.
-- credential_id, user_handle and public_key (the COSE key) are base64url text.
CREATE TABLE passkeys (
  id              TEXT PRIMARY KEY,
  credential_id   TEXT NOT NULL UNIQUE,
  user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  user_handle     TEXT NOT NULL,
  public_key      TEXT NOT NULL,
  aaguid          TEXT NOT NULL,
  sign_count      BIGINT NOT NULL,
  uv_initialized  BOOLEAN NOT NULL,
  backup_eligible BOOLEAN NOT NULL,
  backup_state    BOOLEAN NOT NULL,
  name            TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  last_used_at    BIGINT
);
CREATE INDEX passkeys_user ON passkeys(user_id);

-- A challenge handed to one browser session for one ceremony (adding a passkey, or signing in with
-- one): stored as a hash, used at most once, and only within its few minutes. In the database, not
-- in a process, because any server process may answer the browser's next request.
CREATE TABLE webauthn_challenges (
  challenge_hash TEXT PRIMARY KEY,
  session_hash   TEXT NOT NULL,
  purpose        TEXT NOT NULL,
  user_id        TEXT,
  expires_at     BIGINT NOT NULL
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges(expires_at);
