package com.monei.connect.server.token;

import java.time.Instant;
import java.util.Set;

/**
 * An issued authorization code as stored (by hash), bound to the app, redirect URI, user, granted
 * scopes and PKCE challenge. {@code redirectUriGiven} records whether the authorization request
 * named the redirect URI, since only then must the token request repeat it (RFC 6749 §4.1.3).
 */
public record AuthorizationCode(String codeHash, String clientId, String userId, String redirectUri,
    boolean redirectUriGiven, Set<String> scopes, String codeChallenge, Instant createdAt, Instant expiresAt,
    Instant usedAt, String familyId) {

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
