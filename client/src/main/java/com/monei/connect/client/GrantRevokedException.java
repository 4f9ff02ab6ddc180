package com.monei.connect.client;

/**
 * The user's grant is gone: the refresh token was refused ({@code invalid_grant}: the user
 * disconnected the app, changed their password, or the token expired or was revoked), or no tokens
 * are stored for this user (then it is the subclass {@link NotConnectedException}). The SDK has
 * already deleted the stored tokens; the app must send the user through
 * {@link MoneiConnect#authorizationRequest} again.
 */
public class GrantRevokedException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  /** A refusal answered with {@code status}, or status 0 when nothing was stored for the user. */
  public GrantRevokedException(int status, String error, String description) {
    super(status, error, description);
  }
}
