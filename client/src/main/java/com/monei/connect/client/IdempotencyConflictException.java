package com.monei.connect.client;

/** The Idempotency-Key was already used for a different send ({@code 409}); use a new key for a new send. */
public class IdempotencyConflictException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  /** The refusal as the server answered it. */
  public IdempotencyConflictException(int status, String error, String description) {
    super(status, error, description);
  }
}
