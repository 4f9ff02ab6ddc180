package com.monei.connect.server.token;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Token families and the access and refresh tokens in them, stored by hash. */
public interface TokenStore {
  void createFamily(String familyId, String clientId, String userId, Instant now);

  void saveAccessToken(String tokenHash, String familyId, String clientId, String userId, Set<String> scopes,
      Instant now, Instant expiresAt);

  void saveRefreshToken(String tokenHash, String familyId, String clientId, String userId, Set<String> scopes,
      int generation, Instant now, Instant expiresAt);

  /**
   * The grant behind an access token: empty when unknown, expired at {@code now}, or when its family
   * has been revoked.
   */
  Optional<AccessGrant> findActiveAccessToken(String tokenHash, Instant now);

  /** Revokes every access and refresh token of the family at once. Idempotent. */
  void revokeFamily(String familyId, Instant now);
}
