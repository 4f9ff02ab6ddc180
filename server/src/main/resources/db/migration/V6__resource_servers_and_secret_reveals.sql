-- Apps an operator or developer registered as resource servers: introspection also shows them
-- other apps' access tokens (never refresh tokens).
ALTER TABLE apps ADD COLUMN resource_server BOOLEAN NOT NULL DEFAULT FALSE;

-- One pending showing of a new client secret (SPEC 2: shown once). The secret itself is not here,
-- not even encrypted: it travels sealed in a cookie of the browser that asked for it. A row is
-- the right to open that cookie once, from the session that made it; opening deletes it.
CREATE TABLE secret_reveals (
  id_hash      TEXT PRIMARY KEY,
  session_hash TEXT NOT NULL,
  client_id    TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
  occasion     TEXT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX secret_reveals_expiry ON secret_reveals(expires_at);
