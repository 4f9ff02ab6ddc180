package com.monei.connect.server.http;

/**
 * A request Monei cannot read (bad encoding, a body that does not parse, too large): answered with a
 * 4xx {@code invalid_request} in the route's error shape, and logged without a stack trace, since
 * it says something about the sender, not the server.
 */
public final class MalformedRequestException extends RuntimeException {
  private final int status;

  public MalformedRequestException(int status, String publicDescription) {
    super(publicDescription, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
