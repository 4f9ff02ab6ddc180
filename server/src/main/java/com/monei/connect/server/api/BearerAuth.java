package com.monei.connect.server.api;

import com.monei.connect.server.oauth.OAuthError;
import com.monei.connect.server.oauth.OAuthException;
import com.monei.connect.server.token.AccessGrant;
import com.monei.connect.server.token.TokenService;
import io.javalin.http.Context;

/** RFC 6750 bearer authentication for the API: the header only, never the query string. */
public final class BearerAuth {
  private final TokenService tokens;

  public BearerAuth(TokenService tokens) {
    this.tokens = tokens;
  }

  /** The grant behind the request's access token, which must hold {@code scope}. */
  public AccessGrant require(Context ctx, String scope) {
    // RFC 9700 §2.4 / RFC 6750 §2.3: tokens in URLs leak through logs and Referer headers.
    if (ctx.queryParam("access_token") != null)
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
          "Send the access token in the Authorization header, not the query string."), "Bearer", null);
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) throw new OAuthException(OAuthError.UNAUTHORIZED, "Bearer", null);
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7))
      throw new OAuthException(OAuthError.INVALID_TOKEN.withDescription(
          "Use the Bearer scheme: Authorization: Bearer mct_..."), "Bearer", null);
    AccessGrant grant = tokens.authenticate(header.substring(7).trim())
        .orElseThrow(() -> new OAuthException(OAuthError.INVALID_TOKEN, "Bearer", null));
    if (!grant.scopes().contains(scope))
      throw new OAuthException(OAuthError.INSUFFICIENT_SCOPE.withDescription(
          "This call needs the " + scope + " scope, which the user has not granted to this app."), "Bearer", scope);
    return grant;
  }
}
