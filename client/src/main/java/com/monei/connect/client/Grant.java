package com.monei.connect.client;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a user allowed this app: the scopes actually granted, which may be fewer than requested
 * (the consent screen lets the user untick each one). Decide what to show from this, not from what
 * was asked for.
 *
 * <pre>{@code
 * Set<String> missing = grant.missing(List.of(Scopes.WALLET_READ, Scopes.WALLET_SEND));
 * if (!missing.isEmpty()) offerToAskFor(missing);   // connect.authorizationRequest(missing)
 * }</pre>
 *
 * @param userKey the app's identifier for the user, as passed to {@link MoneiConnect#handleCallback}
 * @param scopes the scopes the user granted (unmodifiable, sorted)
 * @param accessTokenExpiresAt when the current access token expires (the SDK refreshes it by itself)
 */
public record Grant(String userKey, Set<String> scopes, Instant accessTokenExpiresAt) {

  /** Checks the fields and keeps an unmodifiable, sorted copy of the scopes. */
  public Grant {
    Objects.requireNonNull(userKey, "userKey");
    scopes = StoredTokens.sorted(Objects.requireNonNull(scopes, "scopes"));
  }

  /** True when the user granted {@code scope}. */
  public boolean has(String scope) {
    return scopes.contains(scope);
  }

  /** True when the user granted every scope in {@code required}. */
  public boolean hasAll(Collection<String> required) {
    return scopes.containsAll(required);
  }

  /** The scopes of {@code requested} the user has not granted, in the order given; empty when none. */
  public Set<String> missing(Collection<String> requested) {
    Set<String> missing = new LinkedHashSet<>(requested);
    missing.removeAll(scopes);
    return Collections.unmodifiableSet(missing);
  }
}
