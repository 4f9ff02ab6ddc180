package com.monei.connect.server.storage;

/** The database cannot be reached right now; callers answer 503 and may retry. */
public final class DatabaseUnavailableException extends RuntimeException {
  public DatabaseUnavailableException(Throwable cause) {
    super("database unavailable", cause);
  }
}
