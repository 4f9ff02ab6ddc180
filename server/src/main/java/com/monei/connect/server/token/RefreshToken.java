package com.monei.connect.server.token;

import java.time.Instant;
import java.util.Set;

/** A stored refresh token (by hash) and where it sits in its family's rotation chain. */
public record RefreshToken(String tokenHash, String familyId, String clientId, String userId, Set<String> scopes,
    int generation, Instant createdAt, Instant expiresAt, Instant usedAt, String successorHash,
    String rotationParamsHash, boolean familyRevoked) {

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
