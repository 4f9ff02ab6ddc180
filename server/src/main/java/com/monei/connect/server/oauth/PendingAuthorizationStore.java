package com.monei.connect.server.oauth;

import java.time.Instant;
import java.util.Optional;

/** Authorization requests between the consent screen and the user's answer. */
public interface PendingAuthorizationStore {
  void save(PendingAuthorization pending);

  /** The request if it exists and has not expired at {@code now}. */
  Optional<PendingAuthorization> find(String id, Instant now);

  /** Deletes the request; false when another submission already consumed it. */
  boolean consume(String id);
}
