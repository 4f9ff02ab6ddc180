package com.monei.connect.client;

/** The send would take the app past the limit the user set for 24 hours ({@code 403 send_limit_exceeded}); nothing moved. */
public class SendLimitExceededException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  /** The refusal as the server answered it. */
  public SendLimitExceededException(int status, String error, String description) {
    super(status, error, description);
  }
}
