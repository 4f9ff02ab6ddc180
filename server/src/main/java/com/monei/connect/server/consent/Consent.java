package com.monei.connect.server.consent;

import java.time.Instant;
import java.util.Set;

/** What a user has allowed one app so far; the send limit is in minor units of its currency. */
public record Consent(String clientId, String userId, Set<String> scopes, SendLimit sendLimit,
    Instant createdAt, Instant updatedAt) {

  /** How much the app may send per rolling 24 hours. */
  public record SendLimit(long amountMinor, String currency) {}

  public boolean covers(Set<String> requested) {
    return scopes.containsAll(requested);
  }
}
