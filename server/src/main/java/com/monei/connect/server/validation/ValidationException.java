package com.monei.connect.server.validation;

/**
 * Input a person gave that the domain refuses; the message is written for that person and is safe
 * to show on a page or print on the command line. Pages and commands catch this type only: any
 * other exception is a fault, which reaches the user as a generic error and its text only the log.
 */
public final class ValidationException extends RuntimeException {
  public ValidationException(String message) {
    super(message, null, false, false);
  }
}
