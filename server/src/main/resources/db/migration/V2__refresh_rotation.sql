-- Keys the server derives values with (shared by every process, created on first use). A derived
-- refresh successor needs the raw previous token too, which is never stored, so this key alone
-- reproduces nothing.
CREATE TABLE server_keys (
  name       TEXT PRIMARY KEY,
  material   TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Hash of the parameters a refresh token was rotated with, so a retry inside the grace window
-- with the same parameters gets the same successor pair and a different request does not.
ALTER TABLE refresh_tokens ADD COLUMN rotation_params_hash TEXT;
