package com.monei.connect.server.token;

import com.monei.connect.server.Config;
import com.monei.connect.server.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Mints token pairs into families and authenticates access tokens. */
public final class TokenService {
  private final TokenStore tokens;
  private final AuditLog audit;
  private final Clock clock;
  private final Config config;

  public TokenService(TokenStore tokens, AuditLog audit, Clock clock, Config config) {
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
    this.config = config;
  }

  /** Starts a new family and issues its first access and refresh token. Call inside a transaction. */
  public IssuedTokens issueNewFamily(String familyId, String clientId, String userId, Set<String> scopes) {
    Instant now = clock.instant();
    tokens.createFamily(familyId, clientId, userId, now);
    String access = TokenFormat.generate(TokenFormat.ACCESS_TOKEN);
    String refresh = TokenFormat.generate(TokenFormat.REFRESH_TOKEN);
    tokens.saveAccessToken(Hashes.sha256(access), familyId, clientId, userId, scopes, now,
        now.plus(config.accessTokenTtl()));
    tokens.saveRefreshToken(Hashes.sha256(refresh), familyId, clientId, userId, scopes, 0, now,
        now.plus(config.refreshTokenTtl()));
    audit.record(AuditLog.TOKEN_ISSUED, userId, clientId, null, "family " + familyId);
    return new IssuedTokens(access, refresh, config.accessTokenTtl().toSeconds(), scopes);
  }

  /** The grant of a presented access token; garbage is refused by its checksum before any look-up. */
  public Optional<AccessGrant> authenticate(String accessToken) {
    if (!TokenFormat.isWellFormed(accessToken, TokenFormat.ACCESS_TOKEN)) return Optional.empty();
    return tokens.findActiveAccessToken(Hashes.sha256(accessToken), clock.instant());
  }

  public void revokeFamily(String familyId) {
    tokens.revokeFamily(familyId, clock.instant());
  }
}
