package com.monei.connect.client;

/** The wallet does not hold enough money for the send ({@code 422 insufficient_funds}); nothing moved. */
public class InsufficientFundsException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  /** The refusal as the server answered it. */
  public InsufficientFundsException(int status, String error, String description) {
    super(status, error, description);
  }
}
