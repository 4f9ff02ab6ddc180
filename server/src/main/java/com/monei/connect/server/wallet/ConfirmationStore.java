package com.monei.connect.server.wallet;

import java.time.Instant;
import java.util.Optional;

/** Send confirmations, one row per confirmation asked. */
public interface ConfirmationStore {
  void insert(Confirmation confirmation);

  Optional<Confirmation> find(String id);

  /** The newest confirmation asked for this user, app and Idempotency-Key, whatever its body. */
  Optional<Confirmation> latest(String userId, String clientId, String key);

  /**
   * Answers a confirmation of {@code userId} that is still pending and unexpired at {@code now}, as
   * one guarded update; false when it was answered already, expired or is not the user's.
   */
  boolean decide(String id, String userId, Confirmation.State decision, Instant now);
}
