package com.monei.connect.client;

/**
 * The user rejected this send in Monei ({@code 403 confirmation_rejected}); nothing moved, and the
 * same request and idempotency key will keep being refused. Drop the pending send; a new attempt
 * needs a new idempotency key.
 */
public class ConfirmationRejectedException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  /** The refusal as the server answered it. */
  public ConfirmationRejectedException(int status, String error, String description) {
    super(status, error, description);
  }
}
