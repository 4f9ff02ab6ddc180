package com.monei.connect.client;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
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
 * <p>With {@code wallet:send} the grant also knows how much the app may send and above which amount
 * the user confirms each send in Monei: offer only {@link SendLimit#currency()} in a send form, and
 * tell the user before they send more than {@link SendLimit#confirmAbove()}.
 *
 * @param userKey the app's identifier for the user, as passed to {@link MoneiConnect#handleCallback}
 * @param scopes the scopes the user granted (unmodifiable, sorted)
 * @param accessTokenExpiresAt when the current access token expires (the SDK refreshes it by itself)
 * @param sendLimit the send limit and confirmation threshold as of the latest token response; empty
 *     without {@code wallet:send} (or for tokens stored by an SDK that did not keep it, until the next
 *     refresh)
 */
public record Grant(String userKey, Set<String> scopes, Instant accessTokenExpiresAt, Optional<SendLimit> sendLimit) {

  /** Checks the fields and keeps an unmodifiable, sorted copy of the scopes. */
  public Grant {
    Objects.requireNonNull(userKey, "userKey");
    scopes = StoredTokens.sorted(Objects.requireNonNull(scopes, "scopes"));
    sendLimit = sendLimit == null ? Optional.empty() : sendLimit;
  }

  /** A grant without a send limit. */
  public Grant(String userKey, Set<String> scopes, Instant accessTokenExpiresAt) {
    this(userKey, scopes, accessTokenExpiresAt, Optional.empty());
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
