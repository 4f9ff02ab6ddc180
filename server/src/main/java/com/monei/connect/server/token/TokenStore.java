package com.monei.connect.server.token;

import java.time.Instant;
import java.util.List;
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

  /** An access or refresh token in any state, for introspection and revocation. */
  Optional<TokenRecord> findAny(String tokenHash);

  Optional<RefreshToken> findRefreshToken(String tokenHash);

  /**
   * Marks a refresh token rotated into {@code successorHash}. Returns false when it was already
   * used: the conditional update decides a race between two rotations of one token.
   */
  boolean markRefreshUsed(String tokenHash, String successorHash, String paramsHash, Instant now);

  /** Writing last-used on every API call would turn reads into writes; once a minute is plenty. */
  java.time.Duration TOUCH_INTERVAL = java.time.Duration.ofMinutes(1);

  /** Records use of the family for the connected-apps page; skips the write within {@link #TOUCH_INTERVAL}. */
  void touchFamily(String familyId, Instant now);

  /** Revokes every access and refresh token of the family at once. Idempotent. */
  void revokeFamily(String familyId, Instant now);

  /** Revokes every family of the user with the app; returns how many were live. */
  int revokeFamilies(String clientId, String userId, Instant now);

  /** Revokes every family of the user, with any app. */
  int revokeAllFamiliesOfUser(String userId, Instant now);

  /** Revokes every family of the app, for any user. */
  int revokeAllFamiliesOfApp(String clientId, Instant now);

  /** True when a family of the user with the app can still produce tokens: not revoked, with an unexpired current refresh token. */
  boolean hasLiveFamily(String clientId, String userId, Instant now);

  void deleteAccessToken(String tokenHash);

  /** When the user's tokens with each app were last used, by client id. */
  List<FamilyUse> lastUse(String userId);

  /** The latest use of any of the user's families with one app. */
  record FamilyUse(String clientId, Instant lastUsedAt) {}
}
