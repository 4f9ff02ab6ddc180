package com.monei.connect.server.consent;

import java.time.Instant;
import java.util.Set;

/** What a user has allowed one app so far; the send limit is in minor units of its currency. */
public record Consent(String clientId, String userId, Set<String> scopes, SendLimit sendLimit,
    Instant createdAt, Instant updatedAt) {

  /**
   * How much the app may send per rolling 24 hours, and above which amount (same currency) each send
   * must be confirmed by the user; {@code confirmAboveMinor} is null when the user asked for none.
   */
  public record SendLimit(long amountMinor, String currency, Long confirmAboveMinor) {
    public SendLimit(long amountMinor, String currency) {
      this(amountMinor, currency, null);
    }

    /**
     * True when {@code lower} asks for nothing more than this: a limit no higher, and a threshold
     * that is no higher and not removed. Only such a change may be made without a new consent.
     */
    public boolean allowsAtMost(SendLimit lower) {
      if (!currency.equals(lower.currency) || lower.amountMinor > amountMinor) return false;
      if (confirmAboveMinor == null) return true;
      return lower.confirmAboveMinor != null && lower.confirmAboveMinor <= confirmAboveMinor;
    }
  }

  public boolean covers(Set<String> requested) {
    return scopes.containsAll(requested);
  }
}
