package com.monei.connect.server.app;

import java.time.Instant;
import java.util.Optional;

/** The pending showings of new client secrets: hashes and bindings only, never the secret. */
public interface SecretRevealStore {
  void save(String idHash, String sessionHash, String clientId, SecretReveals.Occasion occasion, Instant expiresAt);

  /**
   * Deletes the reveal {@code idHash} when it belongs to {@code sessionHash} and {@code clientId} and
   * has not expired at {@code now}, and returns its occasion. Of concurrent calls, in one process or
   * several, at most one gets it; a reveal of another session or app is left untouched.
   */
  Optional<SecretReveals.Occasion> consume(String idHash, String sessionHash, String clientId, Instant now);
}
