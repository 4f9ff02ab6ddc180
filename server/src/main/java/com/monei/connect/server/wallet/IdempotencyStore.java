package com.monei.connect.server.wallet;

import java.time.Instant;
import java.util.Optional;

/** First results of idempotent requests, scoped to the user and the app. */
public interface IdempotencyStore {
  /** What was answered to the first request with this key. */
  record Stored(String requestHash, int status, String body) {}

  Optional<Stored> find(String userId, String clientId, String key);

  /**
   * Claims the key for a request before its work starts. False when the key is taken: a concurrent
   * request with the same key waits here until the first one's transaction ends, then sees its result.
   */
  boolean claim(String userId, String clientId, String key, String requestHash, Instant now);

  /**
   * Gives up a claim in the transaction that made it, so the key stays free: for an answer that must
   * not be replayed (a send waiting for the user's confirmation is decided by its retry).
   */
  void release(String userId, String clientId, String key);

  /** Records the result of the claimed request; in the same transaction as the work it describes. */
  void complete(String userId, String clientId, String key, Stored stored);
}
