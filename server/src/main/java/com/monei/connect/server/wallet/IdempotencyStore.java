package com.monei.connect.server.wallet;

import java.time.Instant;
import java.util.Optional;

/** First results of idempotent requests, scoped to the user and the app. */
public interface IdempotencyStore {
  /** What was answered to the first request with this key. */
  record Stored(String requestHash, int status, String body) {}

  Optional<Stored> find(String userId, String clientId, String key);

  /** Records the first result; run in the same transaction as the work it describes. */
  void save(String userId, String clientId, String key, Stored stored, Instant now);
}
