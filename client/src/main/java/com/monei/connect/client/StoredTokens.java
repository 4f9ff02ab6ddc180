package com.monei.connect.client;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The tokens of one user's grant, as a {@link TokenStore} keeps them. Both tokens are secrets: store
 * them encrypted at rest, and never log them ({@link #toString()} leaves them out).
 *
 * @param accessToken the bearer token for API calls ({@code mct_…})
 * @param refreshToken the token that renews the access token ({@code mcr_…}); it rotates on every
 *     refresh, so the store must always keep the latest; may be null when the server issued none
 * @param expiresAt when the access token expires
 * @param scopes the scopes the user granted
 * @param sendLimit the grant's send limit and confirmation threshold from the latest token response,
 *     or null when it has none (no {@code wallet:send}) or the tokens were stored before the SDK
 *     kept it; a serialized value written without this field reads back with null
 * @param issuedAt when the access token was issued, or null when unknown (tokens stored before the SDK
 *     kept it); with {@code expiresAt} it gives the token's lifetime, which bounds how early the SDK
 *     refreshes it
 */
public record StoredTokens(String accessToken, String refreshToken, Instant expiresAt, Set<String> scopes,
    SendLimit sendLimit, Instant issuedAt) implements Serializable {

  /** Checks the fields and keeps an unmodifiable, sorted copy of the scopes. */
  public StoredTokens {
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
    scopes = sorted(scopes == null ? Set.of() : scopes);
  }

  /** Tokens whose issue time is unknown. */
  public StoredTokens(String accessToken, String refreshToken, Instant expiresAt, Set<String> scopes,
      SendLimit sendLimit) {
    this(accessToken, refreshToken, expiresAt, scopes, sendLimit, null);
  }

  /** Tokens of a grant without a send limit. */
  public StoredTokens(String accessToken, String refreshToken, Instant expiresAt, Set<String> scopes) {
    this(accessToken, refreshToken, expiresAt, scopes, null, null);
  }

  /** True when the access token expires within {@code skew} of {@code now} (or already has). */
  public boolean expiresWithin(Duration skew, Instant now) {
    return !now.plus(skew).isBefore(expiresAt);
  }

  /**
   * How long before expiry to refresh: {@code configured}, but at most a quarter of the token's
   * lifetime when that is known, so a short-lived token is used for most of its life instead of
   * being refreshed before every call.
   */
  public Duration refreshSkew(Duration configured) {
    if (issuedAt == null || !expiresAt.isAfter(issuedAt)) return configured;
    Duration quarter = Duration.between(issuedAt, expiresAt).dividedBy(4);
    return quarter.compareTo(configured) < 0 ? quarter : configured;
  }

  /** The grant these tokens stand for, as the app sees it (no token values). */
  public Grant grant(String userKey) {
    return new Grant(userKey, scopes, expiresAt, Optional.ofNullable(sendLimit));
  }

  /** Leaves both tokens out, so logging the value leaks nothing. */
  @Override
  public String toString() {
    return "StoredTokens[accessToken=[redacted], refreshToken=" + (refreshToken == null ? "none" : "[redacted]")
        + ", expiresAt=" + expiresAt + ", scopes=" + scopes + (sendLimit == null ? "" : ", sendLimit=" + sendLimit)
        + (issuedAt == null ? "" : ", issuedAt=" + issuedAt) + "]";
  }

  static SortedSet<String> sorted(Collection<String> scopes) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
  }
}
