package com.monei.connect.server.api;

/**
 * Carries an {@link ApiError} to {@link ApiErrorWriter}. An error of bearer authentication also
 * carries RFC 6750's challenge, and for insufficient_scope the scope the call needs.
 */
public final class ApiException extends RuntimeException {
  private final ApiError error;
  private final boolean bearerChallenge;
  private final String requiredScope;

  public ApiException(ApiError error) {
    this(error, false, null);
  }

  private ApiException(ApiError error, boolean bearerChallenge, String requiredScope) {
    super(error.code() + ": " + error.description(), null, false, false);
    this.error = error;
    this.bearerChallenge = bearerChallenge;
    this.requiredScope = requiredScope;
  }

  /** An error answered with a WWW-Authenticate: Bearer challenge (RFC 6750 §3). */
  public static ApiException bearer(ApiError error) {
    return new ApiException(error, true, null);
  }

  /** insufficient_scope, with the challenge naming {@code scope} (RFC 6750 §3). */
  public static ApiException missingScope(String scope, String description) {
    return new ApiException(ApiError.INSUFFICIENT_SCOPE.withDescription(description), true, scope);
  }

  public ApiError error() {
    return error;
  }

  public boolean bearerChallenge() {
    return bearerChallenge;
  }

  public String requiredScope() {
    return requiredScope;
  }
}
