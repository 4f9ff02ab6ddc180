package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A successful token response (RFC 6749 §5.1) as Monei writes it, with its {@code scopes} array and,
 * for a grant with {@code wallet:send}, its send limit as RFC 9396 {@code authorization_details}.
 */
record TokenResponse(String accessToken, String refreshToken, Duration expiresIn, Set<String> scopes,
    SendLimit sendLimit) {
  /** The documented lifetime, for a response that leaves {@code expires_in} out (RFC 6749 makes it optional). */
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(3600);

  static TokenResponse parse(JsonNode node) {
    String accessToken = Json.text(node, OAuthParams.ACCESS_TOKEN);
    String type = Json.optionalText(node, OAuthParams.TOKEN_TYPE);
    // RFC 6749 §7.1: "The client MUST NOT use an access token if it does not understand the token type."
    if (type != null && !type.equalsIgnoreCase("Bearer"))
      throw new Json.MalformedJson("token_type " + type + " is not Bearer");
    JsonNode expires = node.get(OAuthParams.EXPIRES_IN);
    Duration expiresIn = DEFAULT_LIFETIME;
    if (expires != null && !expires.isNull()) {
      if (!expires.isNumber() && !expires.asText().matches("\\d+"))
        throw new Json.MalformedJson("expires_in is not a number");
      expiresIn = Duration.ofSeconds(expires.asLong());
    }
    Set<String> scopes = null;
    if (node.hasNonNull(OAuthParams.SCOPES)) {
      scopes = new LinkedHashSet<>(Json.strings(node, OAuthParams.SCOPES));
    } else if (node.hasNonNull(OAuthParams.SCOPE)) {
      scopes = new LinkedHashSet<>(Arrays.asList(Json.text(node, OAuthParams.SCOPE).trim().split("\\s+")));
      scopes.remove("");
    }
    return new TokenResponse(accessToken, Json.optionalText(node, OAuthParams.REFRESH_TOKEN), expiresIn, scopes,
        SendLimit.fromAuthorizationDetails(node));
  }

  /**
   * The tokens to store; where the response is silent, the refresh token and scopes carry over from
   * {@code previous} (RFC 6749 §6: the server "MAY issue a new refresh token") or, for the scopes,
   * are those requested (§5.1: scope is omitted when "identical to the scope requested"). The send
   * limit is never carried over: Monei states it in every response for a grant that has one, and the
   * user may have lowered it since.
   */
  StoredTokens toStored(Instant now, String previousRefreshToken, Collection<String> previousScopes) {
    return new StoredTokens(accessToken, refreshToken != null ? refreshToken : previousRefreshToken,
        now.plus(expiresIn), scopes != null ? scopes : Set.copyOf(previousScopes), sendLimit, now);
  }

  @Override
  public String toString() {
    return "TokenResponse[expiresIn=" + expiresIn + ", scopes=" + scopes + ", sendLimit=" + sendLimit + "]";
  }
}
