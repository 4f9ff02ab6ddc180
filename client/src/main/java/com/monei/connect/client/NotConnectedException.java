package com.monei.connect.client;

/**
 * No tokens are stored for this user: they never connected Monei, disconnected it, or their grant
 * was found revoked earlier (which deleted the tokens). No request was sent. The app offers to
 * connect Monei with {@link MoneiConnect#authorizationRequest}.
 *
 * <p>It extends {@link GrantRevokedException} because both mean the same thing to the app, "send the
 * user through the connection again", so a {@code catch (GrantRevokedException e)} written before this
 * type existed keeps working; catch this type first where the two need different words.
 */
public class NotConnectedException extends GrantRevokedException {
  private static final long serialVersionUID = 1L;

  /** Nothing stored for the user; status 0, as no request was sent. */
  public NotConnectedException(String description) {
    super(0, null, description);
  }
}
