package com.monei.connect.server.web;

import com.monei.connect.server.oauth.OAuthParams;
import com.monei.connect.server.oauth.PendingAuthorization;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.StringJoiner;

/** Where to go after sign-in: a path on this origin only, so the login page cannot be an open redirect. */
public final class ReturnTo {
  public static final String DEFAULT = "/";
  static final String AUTHORIZE_PATH = "/connect/authorize";

  private ReturnTo() {}

  public static String safe(String returnTo) {
    if (returnTo == null || returnTo.isEmpty() || returnTo.length() > 4096) return DEFAULT;
    if (!returnTo.startsWith("/")) return DEFAULT;
    // "//host" and "/\host" are treated by browsers as another origin.
    if (returnTo.startsWith("//") || returnTo.startsWith("/\\")) return DEFAULT;
    for (int i = 0; i < returnTo.length(); i++) {
      char c = returnTo.charAt(i);
      if (c < 0x21 || c == 0x7f || c == '\\') return DEFAULT;
    }
    return returnTo;
  }

  /**
   * The authorization request that {@code pending} came from, as a same-origin path: where "Not
   * you?" returns after signing out, so another user answers the same request.
   */
  static String authorizeRequest(PendingAuthorization pending) {
    StringJoiner query = new StringJoiner("&", AUTHORIZE_PATH + "?", "");
    add(query, OAuthParams.RESPONSE_TYPE, OAuthParams.RESPONSE_TYPE_CODE);
    add(query, OAuthParams.CLIENT_ID, pending.clientId());
    if (pending.redirectUriGiven()) add(query, OAuthParams.REDIRECT_URI, pending.redirectUri());
    add(query, OAuthParams.SCOPE, String.join(" ", pending.scopes()));
    if (pending.state() != null) add(query, OAuthParams.STATE, pending.state());
    if (pending.codeChallenge() != null) {
      add(query, OAuthParams.CODE_CHALLENGE, pending.codeChallenge());
      add(query, OAuthParams.CODE_CHALLENGE_METHOD, OAuthParams.PKCE_S256);
    }
    if (pending.forceConsent()) add(query, OAuthParams.PROMPT, OAuthParams.PROMPT_CONSENT);
    return query.toString();
  }

  /**
   * The client_id of an authorization request that {@code returnTo} (already {@link #safe}) points
   * at; empty for any other page, or when the query cannot be read.
   */
  static Optional<String> authorizingClientId(String returnTo) {
    if (!returnTo.startsWith(AUTHORIZE_PATH + "?")) return Optional.empty();
    for (String pair : returnTo.substring(AUTHORIZE_PATH.length() + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0 || !pair.substring(0, eq).equals(OAuthParams.CLIENT_ID)) continue;
      try {
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static void add(StringJoiner query, String name, String value) {
    query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
