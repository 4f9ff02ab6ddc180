package com.monei.connect.server.oauth;

/**
 * An OAuth or API error: its code, the public description, the HTTP status, and whether the
 * authorization endpoint may send it back to the app's redirect URI. Constants are never mutated;
 * refine one with {@link #withDescription}.
 */
public record OAuthError(String code, String description, int status, boolean mayRedirect) {
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
  // RFC 6750 §3.1
  public static final OAuthError INVALID_TOKEN =
      new OAuthError("invalid_token", "The access token is invalid, expired or revoked.", 401, false);
  public static final OAuthError INSUFFICIENT_SCOPE =
      new OAuthError("insufficient_scope", "The access token does not have the scope this call needs.", 403,
          false);
  /** No credentials at all: RFC 6750 §3.1 says the challenge then carries no error code. */
  public static final OAuthError UNAUTHORIZED =
      new OAuthError("unauthorized", "This call needs an access token: Authorization: Bearer mct_...", 401, false);
  // API errors
  public static final OAuthError NOT_FOUND = new OAuthError("not_found", "Not found.", 404, false);
  public static final OAuthError METHOD_NOT_ALLOWED =
      new OAuthError("method_not_allowed", "This method is not allowed here.", 405, false);

  public static final OAuthError INSUFFICIENT_FUNDS =
      new OAuthError("insufficient_funds", "The wallet does not hold enough money for this send.", 422, false);
  public static final OAuthError SEND_LIMIT_EXCEEDED = new OAuthError("send_limit_exceeded",
      "This send would exceed what the user allowed this app to send in 24 hours.", 403, false);
  public static final OAuthError RECIPIENT_NOT_FOUND =
      new OAuthError("recipient_not_found", "No Monei wallet matches the recipient.", 404, false);
  public static final OAuthError IDEMPOTENCY_KEY_REUSED = new OAuthError("idempotency_key_reused",
      "This Idempotency-Key was already used with a different request.", 409, false);

  public OAuthError withDescription(String text) {
    return new OAuthError(code, text, status, mayRedirect);
  }

  /** The same error, but rendered as a page instead of redirected (client or redirect URI unverified). */
  public OAuthError withoutRedirect() {
    return new OAuthError(code, description, status, false);
  }
}
