package com.monei.connect.server.wallet;

import java.time.Instant;

/**
 * A send that waits for the user's confirmation, or was answered (SPEC 1.6): bound to the user, the
 * app, the Idempotency-Key and the hash of the exact body, and holding what the user is shown.
 */
public record Confirmation(String id, String userId, String clientId, String idempotencyKey, String bodyHash,
    String recipientWalletId, long amountMinor, String currency, String note, State state, Instant createdAt,
    Instant expiresAt, Instant decidedAt) {

  public enum State { PENDING, CONFIRMED, REJECTED }

  /** Pending and still answerable at {@code now}. */
  public boolean openAt(Instant now) {
    return state == State.PENDING && now.isBefore(expiresAt);
  }

  /** The same request: same user, app, key and body. */
  public boolean isFor(String user, String client, String key, String hash) {
    return userId.equals(user) && clientId.equals(client) && idempotencyKey.equals(key) && bodyHash.equals(hash);
  }
}
