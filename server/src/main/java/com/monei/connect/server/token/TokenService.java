package com.monei.connect.server.token;

import com.monei.connect.server.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints token pairs into families, rotates refresh tokens, and authenticates access tokens. */
public final class TokenService {
  private static final String ROTATION_KEY = "refresh-rotation";

  private final TokenStore tokens;
  private final ServerKeyStore keys;
  private final AuditLog audit;
  private final Clock clock;
  private final TokenSettings settings;
  private volatile Mac rotationMac;

  public TokenService(TokenStore tokens, ServerKeyStore keys, AuditLog audit, Clock clock, TokenSettings settings) {
    this.tokens = tokens;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /** An access and refresh token minted together. */
  public record Pair(String accessToken, String refreshToken) {}

  /** Deletes one access token (RFC 7009 revocation of an access token alone); its family lives on. */
  public void revokeAccessToken(String accessToken) {
    tokens.deleteAccessToken(Hashes.sha256(accessToken));
  }

  /** Starts a new family and issues its first access and refresh token. Call inside a transaction. */
  public IssuedTokens issueNewFamily(String familyId, String clientId, String userId, Set<String> scopes) {
    Instant now = clock.instant();
    tokens.createFamily(familyId, clientId, userId, now);
    Pair pair = new Pair(TokenFormat.generate(TokenFormat.ACCESS_TOKEN), TokenFormat.generate(TokenFormat.REFRESH_TOKEN));
    save(pair, familyId, clientId, userId, scopes, scopes, 0, now);
    audit.record(AuditLog.TOKEN_ISSUED, userId, clientId, null, "family " + familyId);
    return new IssuedTokens(pair.accessToken(), pair.refreshToken(), settings.accessTokenTtl().toSeconds(), scopes,
        userId);
  }

  /**
   * The successor pair of a refresh token, derived from the presented token and the request's
   * parameters with a server key. Only hashes are stored, so this is how a retry inside the grace
   * window gets the very same pair again without the server ever keeping a token it could leak:
   * reproducing the pair needs the raw previous token, which only the app has.
   */
  public Pair successorOf(String presentedRefreshToken, String paramsHash) {
    return new Pair(
        TokenFormat.fromBytes(TokenFormat.ACCESS_TOKEN, derive("access", presentedRefreshToken, paramsHash)),
        TokenFormat.fromBytes(TokenFormat.REFRESH_TOKEN, derive("refresh", presentedRefreshToken, paramsHash)));
  }

  /** Stores a rotated pair as the next generation of the family. Call inside a transaction. */
  public void saveSuccessor(Pair pair, RefreshToken previous, Set<String> accessScopes, Instant now) {
    save(pair, previous.familyId(), previous.clientId(), previous.userId(), accessScopes, previous.scopes(),
        previous.generation() + 1, now);
    tokens.touchFamily(previous.familyId(), now);
  }

  private void save(Pair pair, String familyId, String clientId, String userId, Set<String> accessScopes,
      Set<String> refreshScopes, int generation, Instant now) {
    tokens.saveAccessToken(Hashes.sha256(pair.accessToken()), familyId, clientId, userId, accessScopes, now,
        now.plus(settings.accessTokenTtl()));
    tokens.saveRefreshToken(Hashes.sha256(pair.refreshToken()), familyId, clientId, userId, refreshScopes,
        generation, now, now.plus(settings.refreshTokenTtl()));
  }

  /** The grant of a presented access token; garbage is refused by its checksum before any look-up. */
  public Optional<AccessGrant> authenticate(String accessToken) {
    if (!TokenFormat.isWellFormed(accessToken, TokenFormat.ACCESS_TOKEN)) return Optional.empty();
    Instant now = clock.instant();
    Optional<AccessGrant> grant = tokens.findActiveAccessToken(Hashes.sha256(accessToken), now);
    grant.filter(g -> g.familyLastUsedAt() == null || g.familyLastUsedAt().isBefore(now.minus(TokenStore.TOUCH_INTERVAL)))
        .ifPresent(g -> tokens.touchFamily(g.familyId(), now));
    return grant;
  }

  /** Any of our tokens by its raw value, for introspection and revocation. */
  public Optional<TokenRecord> find(String token) {
    if (!TokenFormat.isWellFormed(token, TokenFormat.ACCESS_TOKEN)
        && !TokenFormat.isWellFormed(token, TokenFormat.REFRESH_TOKEN)) return Optional.empty();
    return tokens.findAny(Hashes.sha256(token));
  }

  public void revokeFamily(String familyId) {
    tokens.revokeFamily(familyId, clock.instant());
  }

  private byte[] derive(String label, String presented, String paramsHash) {
    return rotationMac().doFinal((label + "\n" + presented + "\n" + paramsHash).getBytes(StandardCharsets.UTF_8));
  }

  /** A Mac keyed for rotation: a clone of one keyed once, since the key never changes while the server runs. */
  private Mac rotationMac() {
    try {
      Mac keyed = rotationMac;
      if (keyed == null) {
        keyed = Mac.getInstance("HmacSHA256");
        keyed.init(new SecretKeySpec(keys.key(ROTATION_KEY), "HmacSHA256"));
        rotationMac = keyed;
      }
      return (Mac) keyed.clone();
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }
}
