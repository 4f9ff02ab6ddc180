package com.monei.connect.server.api;

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
      throw ApiException.bearer(ApiError.INVALID_REQUEST.withDescription(
          "Send the access token in the Authorization header, not the query string."));
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) throw ApiException.bearer(ApiError.UNAUTHORIZED);
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7))
      throw ApiException.bearer(ApiError.INVALID_TOKEN.withDescription(
          "Use the Bearer scheme: Authorization: Bearer mct_..."));
    AccessGrant grant = tokens.authenticate(header.substring(7).trim())
        .orElseThrow(() -> ApiException.bearer(ApiError.INVALID_TOKEN));
    if (!grant.scopes().contains(scope))
      throw ApiException.missingScope(scope,
          "This call needs the " + scope + " scope, which the user has not granted to this app.");
    return grant;
  }
}
