package com.monei.connect.server.oauth;

/**
 * Carries an {@link OAuthError} to the one place that writes it. {@code challenge} is the
 * WWW-Authenticate scheme to send ("Basic", "Bearer" or null) and {@code requiredScope} the scope
 * an insufficient_scope challenge names.
 */
public final class OAuthException extends RuntimeException {
  private final OAuthError error;
  private final String challenge;
  private final String requiredScope;

  public OAuthException(OAuthError error) {
    this(error, null, null);
  }

  public OAuthException(OAuthError error, String challenge, String requiredScope) {
    super(error.code() + ": " + error.description(), null, false, false);
    this.error = error;
    this.challenge = challenge;
    this.requiredScope = requiredScope;
  }

  public OAuthError error() {
    return error;
  }

  public String challenge() {
    return challenge;
  }

  public String requiredScope() {
    return requiredScope;
  }
}
