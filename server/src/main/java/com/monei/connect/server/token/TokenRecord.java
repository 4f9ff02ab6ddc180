package com.monei.connect.server.token;

import java.time.Instant;
import java.util.Set;

/** Any stored token as introspection sees it, live or not. {@code type} is access_token or refresh_token. */
public record TokenRecord(String type, String familyId, String clientId, String userId, Set<String> scopes,
    Instant issuedAt, Instant expiresAt, boolean revoked) {

  public boolean activeAt(Instant now) {
    return !revoked && now.isBefore(expiresAt);
  }
}
