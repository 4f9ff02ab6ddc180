package com.monei.connect.server.account;

/** libargon2 cannot be loaded on this platform; the message is one line for the operator. */
public final class HashingUnavailableException extends RuntimeException {
  public HashingUnavailableException(String message) {
    super(message, null, false, false);
  }
}
