package com.monei.connect.server.account;

import java.time.Instant;
import java.util.Optional;

/** Browser sessions, keyed by the hash of the session id so any server process can serve them. */
public interface SessionStore {
  /** Ends one session and starts another in one transaction (sign-in renews the id). */
  void replace(String oldIdHash, String idHash, String userId, Instant now, Instant expiresAt);

  /** The user id (empty string when anonymous) of a live session, if any. */
  Optional<String> findUser(String idHash, Instant now);

  void delete(String idHash);
}
