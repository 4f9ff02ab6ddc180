package com.monei.connect.server.oauth.grant;

import com.monei.connect.server.Config;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.oauth.OAuthError;
import com.monei.connect.server.oauth.OAuthException;
import com.monei.connect.server.oauth.OAuthParams;
import com.monei.connect.server.oauth.TokenRequest;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.IssuedTokens;
import com.monei.connect.server.token.RefreshToken;
import com.monei.connect.server.token.TokenFormat;
import com.monei.connect.server.token.TokenService;
import com.monei.connect.server.token.TokenStore;
import com.monei.connect.server.transaction.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * grant_type=refresh_token (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2).
 * Every refresh returns a new pair; within the grace window the immediately previous token, sent
 * again by the same app with the same parameters, gets the same successor pair (two tabs, a retry
 * after a lost response); any other reuse revokes the whole family.
 */
public final class RefreshTokenGrant implements GrantHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenGrant.class);

  private final TokenService tokens;
  private final TokenStore store;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;
  private final Config config;

  public RefreshTokenGrant(TokenService tokens, TokenStore store, Transactions tx, AuditLog audit, Clock clock,
      Config config) {
    this.tokens = tokens;
    this.store = store;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
    this.config = config;
  }

  @Override
  public String grantType() {
    return OAuthParams.GRANT_REFRESH_TOKEN;
  }

  private sealed interface Outcome {
    record Issued(IssuedTokens tokens) implements Outcome {}
    record Refused(String reason) implements Outcome {}
  }

  @Override
  public IssuedTokens handle(RegisteredApp app, TokenRequest request) {
    String presented = request.require(OAuthParams.REFRESH_TOKEN);
    Set<String> narrowed = requestedScopes(request.param(OAuthParams.SCOPE));
    if (!TokenFormat.isWellFormed(presented, TokenFormat.REFRESH_TOKEN)) throw refused(app, "malformed refresh token");
    // Same app and same parameters make the same successor; anything else is a different request.
    String paramsHash = Hashes.sha256(app.clientId() + "\n" + (narrowed == null ? "" : ScopeCatalog.format(narrowed)));
    TokenService.Pair pair = tokens.successorOf(presented, paramsHash);

    Outcome outcome = tx.inRowLockingTransaction(() -> rotate(app, Hashes.sha256(presented), narrowed, paramsHash, pair));
    if (outcome instanceof Outcome.Refused r) throw refused(app, r.reason());
    return ((Outcome.Issued) outcome).tokens();
  }

  private Outcome rotate(RegisteredApp app, String hash, Set<String> narrowed, String paramsHash,
      TokenService.Pair pair) {
    Instant now = clock.instant();
    Optional<RefreshToken> found = store.findRefreshToken(hash);
    if (found.isEmpty()) return new Outcome.Refused("unknown refresh token");
    RefreshToken token = found.get();
    if (!token.clientId().equals(app.clientId())) return new Outcome.Refused("refresh token of another app");
    if (token.familyRevoked()) return new Outcome.Refused("family revoked");
    if (token.expiredAt(now)) return new Outcome.Refused("refresh token expired");
    // RFC 6749 §6: the requested scope "MUST NOT include any scope not originally granted".
    if (narrowed != null && !token.scopes().containsAll(narrowed))
      throw new OAuthException(OAuthError.INVALID_SCOPE.withDescription(
          "The scope may only narrow what this refresh token was granted."));
    Set<String> accessScopes = narrowed == null ? token.scopes() : narrowed;
    String successorHash = Hashes.sha256(pair.refreshToken());

    if (token.usedAt() == null && store.markRefreshUsed(hash, successorHash, paramsHash, now)) {
      tokens.saveSuccessor(pair, token, accessScopes, now);
      audit.record(AuditLog.TOKEN_REFRESHED, token.userId(), token.clientId(), null,
          "family " + token.familyId() + " generation " + (token.generation() + 1));
      return issued(pair, accessScopes, config.accessTokenTtl(), token.userId());
    }
    // Already rotated, by an earlier request or by one that just won the race.
    RefreshToken used = store.findRefreshToken(hash).orElse(token);
    Optional<RefreshToken> successor = used.successorHash() == null ? Optional.empty()
        : store.findRefreshToken(used.successorHash());
    boolean immediatelyPrevious = successor.isPresent() && successor.get().usedAt() == null;
    boolean inGrace = !config.refreshGrace().isZero() && used.usedAt() != null
        && now.isBefore(used.usedAt().plus(config.refreshGrace()));
    if (inGrace && immediatelyPrevious && successorHash.equals(used.successorHash())) {
      Duration left = Duration.between(now, successor.get().createdAt().plus(config.accessTokenTtl()));
      return issued(pair, accessScopes, left.isNegative() ? Duration.ZERO : left, token.userId());
    }
    if (inGrace && immediatelyPrevious) {
      // A retry with different parameters: refuse it, but it is no evidence of theft.
      return new Outcome.Refused("retry inside the grace window with different parameters");
    }
    tokens.revokeFamily(token.familyId());
    audit.record(AuditLog.REFRESH_REUSE_DETECTED, token.userId(), token.clientId(), null,
        "family " + token.familyId() + " generation " + token.generation() + " presented again; family revoked");
    return new Outcome.Refused("refresh token reused; family revoked");
  }

  private static Outcome issued(TokenService.Pair pair, Set<String> scopes, Duration expiresIn, String userId) {
    return new Outcome.Issued(
        new IssuedTokens(pair.accessToken(), pair.refreshToken(), expiresIn.toSeconds(), scopes, userId));
  }

  private OAuthException refused(RegisteredApp app, String reason) {
    // Unknown, expired, reused and other-app tokens look the same to the caller; the log says which.
    LOG.info("refresh_token refused for {}: {}", app.clientId(), reason);
    audit.record(AuditLog.TOKEN_GRANT_REFUSED, null, app.clientId(), null, "refresh_token: " + reason);
    return new OAuthException(OAuthError.INVALID_GRANT);
  }

  private static Set<String> requestedScopes(String scope) {
    if (scope == null) return null;
    Set<String> scopes = ScopeCatalog.parse(scope);
    if (scopes.isEmpty())
      throw new OAuthException(OAuthError.INVALID_SCOPE.withDescription("The scope parameter is empty."));
    for (String s : scopes) {
      if (!ScopeCatalog.isKnown(s))
        throw new OAuthException(OAuthError.INVALID_SCOPE.withDescription("Unknown scope: " + s));
    }
    return ScopeCatalog.ordered(scopes);
  }
}
