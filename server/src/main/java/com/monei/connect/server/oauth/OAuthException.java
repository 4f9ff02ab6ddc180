package com.monei.connect.server.oauth;

/**
 * Carries an {@link OAuthError} to the one place that writes it. {@code challenge} is the
 * WWW-Authenticate scheme to send with it ("Basic" for client authentication), or null.
 */
public final class OAuthException extends RuntimeException {
  private final OAuthError error;
  private final String challenge;

  public OAuthException(OAuthError error) {
    this(error, null);
  }

  public OAuthException(OAuthError error, String challenge) {
    super(error.code() + ": " + error.description(), null, false, false);
    this.error = error;
    this.challenge = challenge;
  }

  public OAuthError error() {
    return error;
  }

  public String challenge() {
    return challenge;
  }
}
