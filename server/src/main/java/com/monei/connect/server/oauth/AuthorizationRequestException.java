package com.monei.connect.server.oauth;

/**
 * An authorization request refused by {@link AuthorizationRequestConverter}. Once the app and its
 * redirect URI are verified the error carries them and goes back to the app; before that it has
 * none, and its {@link OAuthError#mayRedirect()} is false, so it can only be shown as a page.
 */
public final class AuthorizationRequestException extends RuntimeException {
  private final OAuthError error;
  private final String redirectUri;
  private final String state;

  /** {@code redirectUri} is null while the app or the redirect URI is not verified. */
  AuthorizationRequestException(OAuthError error, String redirectUri, String state) {
    super(error.code() + ": " + error.description(), null, false, false);
    this.error = redirectUri == null ? error.withoutRedirect() : error;
    this.redirectUri = redirectUri;
    this.state = state;
  }

  public OAuthError error() {
    return error;
  }

  /** The verified redirect URI, or null when the request failed before it was verified. */
  public String redirectUri() {
    return redirectUri;
  }

  public String state() {
    return state;
  }
}
