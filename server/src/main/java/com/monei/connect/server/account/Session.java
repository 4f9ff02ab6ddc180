package com.monei.connect.server.account;

import java.time.Instant;

/**
 * A browser session. {@code id} is the raw cookie value, known only while serving the request that
 * carries it; the database has just its hash. {@code userId} is null before sign-in.
 */
public record Session(String id, String userId, Instant expiresAt) {
  public boolean signedIn() {
    return userId != null;
  }
}
