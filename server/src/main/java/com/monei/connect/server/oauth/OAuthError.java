package com.monei.connect.server.oauth;

import com.monei.connect.server.http.HttpError;

/**
 * An error of the authorization server (RFC 6749): its code, the public description, the HTTP
 * status, and whether the authorization endpoint may send it back to the app's redirect URI.
 * Constants are never mutated; refine one with {@link #withDescription}. The API's errors are
 * {@code api.ApiError}; both are written by
 * {@link com.monei.connect.server.http.JsonErrorWriter}.
 */
public record OAuthError(String code, String description, int status, boolean mayRedirect) implements HttpError {
  // RFC 6749 §4.1.2.1 and §5.2
  public static final OAuthError INVALID_REQUEST =
      new OAuthError("invalid_request", "The request is missing a parameter or is malformed.", 400, true);
  public static final OAuthError INVALID_CLIENT =
      new OAuthError("invalid_client", "Client authentication failed.", 401, false);
  public static final OAuthError INVALID_GRANT =
      new OAuthError("invalid_grant", "The authorization grant is invalid, expired or revoked.", 400, false);
  public static final OAuthError UNAUTHORIZED_CLIENT =
      new OAuthError("unauthorized_client", "This app may not use this grant type.", 400, true);
  public static final OAuthError UNSUPPORTED_GRANT_TYPE =
      new OAuthError("unsupported_grant_type", "The grant type is not supported.", 400, false);
  public static final OAuthError UNSUPPORTED_RESPONSE_TYPE =
      new OAuthError("unsupported_response_type", "Only response_type=code is supported.", 400, true);
  public static final OAuthError INVALID_SCOPE =
      new OAuthError("invalid_scope", "The requested scope is invalid or unknown.", 400, true);
  public static final OAuthError ACCESS_DENIED =
      new OAuthError("access_denied", "The user denied the request.", 403, true);
  public static final OAuthError SERVER_ERROR =
      new OAuthError("server_error", "The server met an unexpected condition.", 500, true);
  public static final OAuthError TEMPORARILY_UNAVAILABLE =
      new OAuthError("temporarily_unavailable", "The service is temporarily unavailable; try again shortly.", 503,
          true);

  public OAuthError withDescription(String text) {
    return new OAuthError(code, text, status, mayRedirect);
  }

  /** The same error, but rendered as a page instead of redirected (client or redirect URI unverified). */
  public OAuthError withoutRedirect() {
    return new OAuthError(code, description, status, false);
  }
}
