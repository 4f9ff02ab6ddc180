package com.monei.connect.client;

/** No Monei wallet matches the recipient of a send ({@code 404 recipient_not_found}); nothing moved. */
public class RecipientNotFoundException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  /** The refusal as the server answered it. */
  public RecipientNotFoundException(int status, String error, String description) {
    super(status, error, description);
  }
}
