package com.monei.connect.server.oauth.grant;

import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.oauth.OAuthError;
import com.monei.connect.server.oauth.OAuthException;
import com.monei.connect.server.oauth.OAuthParams;
import com.monei.connect.server.oauth.Pkce;
import com.monei.connect.server.oauth.TokenRequest;
import com.monei.connect.server.token.AuthorizationCode;
import com.monei.connect.server.token.CodeStore;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.token.IssuedTokens;
import com.monei.connect.server.token.TokenService;
import com.monei.connect.server.transaction.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6). */
public final class AuthorizationCodeGrant implements GrantHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodeGrant.class);

  private final CodeStore codes;
  private final TokenService tokens;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;

  public AuthorizationCodeGrant(CodeStore codes, TokenService tokens, Transactions tx, AuditLog audit, Clock clock) {
    this.codes = codes;
    this.tokens = tokens;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return OAuthParams.GRANT_AUTHORIZATION_CODE;
  }

  /** Either tokens, or the reason the grant was refused; refusals may still commit a revocation. */
  private sealed interface Outcome {
    record Issued(IssuedTokens tokens) implements Outcome {}
    record Refused(String reason) implements Outcome {}
  }

  @Override
  public IssuedTokens handle(RegisteredApp app, TokenRequest request) {
    String code = request.require(OAuthParams.CODE);
    String redirectUri = request.param(OAuthParams.REDIRECT_URI);
    String verifier = request.param(OAuthParams.CODE_VERIFIER);
    String codeHash = Hashes.sha256(code);

    Outcome outcome = tx.inRowLockingTransaction(() -> exchange(app, codeHash, redirectUri, verifier));
    if (outcome instanceof Outcome.Refused refused) {
      // Unknown, expired, used and other-app codes all look the same to the caller; the log says which.
      LOG.info("authorization_code refused for {}: {}", app.clientId(), refused.reason());
      audit.record(AuditLog.TOKEN_GRANT_REFUSED, null, app.clientId(), null, "authorization_code: " + refused.reason());
      throw new OAuthException(OAuthError.INVALID_GRANT);
    }
    return ((Outcome.Issued) outcome).tokens();
  }

  private Outcome exchange(RegisteredApp app, String codeHash, String redirectUri, String verifier) {
    Instant now = clock.instant();
    Optional<AuthorizationCode> found = codes.find(codeHash);
    if (found.isEmpty()) return new Outcome.Refused("unknown code");
    AuthorizationCode code = found.get();
    // RFC 6749 §4.1.3: "ensure that the authorization code was issued to the authenticated confidential
    // client, or if the client is public, ensure that the code was issued to "client_id" in the request"
    if (!code.clientId().equals(app.clientId())) return new Outcome.Refused("code issued to another app");
    // RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server MUST deny
    // the request and SHOULD revoke (when possible) all tokens previously issued based on that code."
    if (code.usedAt() != null) return replayed(code);
    if (code.expiredAt(now)) return new Outcome.Refused("expired code");
    if (code.redirectUriGiven() && redirectUri == null)
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
          "redirect_uri is required: the authorization request included it."));
    if (redirectUri != null && !redirectUri.equals(code.redirectUri()))
      return new Outcome.Refused("redirect_uri differs from the authorization request");
    if (code.codeChallenge() != null) {
      if (!Pkce.verifies(verifier, code.codeChallenge())) return new Outcome.Refused("PKCE verification failed");
    } else if (verifier != null) {
      return new Outcome.Refused("code_verifier sent for a code issued without a challenge");
    }
    String familyId = Ids.next("fam_");
    if (!codes.markUsed(codeHash, familyId, now)) return replayed(codes.find(codeHash).orElse(code));
    return new Outcome.Issued(tokens.issueNewFamily(familyId, app.clientId(), code.userId(), code.scopes()));
  }

  private Outcome replayed(AuthorizationCode code) {
    if (code.familyId() != null) tokens.revokeFamily(code.familyId());
    audit.record(AuditLog.CODE_REPLAYED, code.userId(), code.clientId(), null, "family " + code.familyId());
    return new Outcome.Refused("code already used; its token family was revoked");
  }
}
