package com.monei.connect.server.oauth;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ConsentStore;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenStore;
import com.monei.connect.server.transaction.Transactions;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Resumes a pending authorization request with the user's answer on the consent screen: the
 * request is used up, scopes unticked under prompt=consent are withdrawn (revoking the tokens that
 * carry them), the grant is recorded and a code issued, all in one transaction; or access_denied
 * goes back to the app. The server trusts nothing but the choice: granted = requested ∩ ticked.
 */
public final class ConsentDecision {
  private final PendingAuthorizationStore pending;
  private final ConsentStore consents;
  private final TokenStore tokens;
  private final AuthorizationCodeIssuer codes;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;

  public ConsentDecision(PendingAuthorizationStore pending, ConsentStore consents, TokenStore tokens,
      AuthorizationCodeIssuer codes, Transactions tx, AuditLog audit, Clock clock) {
    this.pending = pending;
    this.consents = consents;
    this.tokens = tokens;
    this.codes = codes;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * The request {@code requestId} while it is still open, and only to the browser session that
   * started it: a consent form carried to another browser answers nothing.
   */
  public Optional<PendingAuthorization> pending(String requestId, Session session) {
    if (requestId == null) return Optional.empty();
    String sessionHash = Hashes.sha256(session.id());
    return pending.find(requestId, clock.instant())
        .filter(request -> Hashes.constantTimeEquals(request.sessionHash(), sessionHash));
  }

  /**
   * The scopes the consent screen shows as already granted: none under prompt=consent, where every
   * requested scope is offered again (and unticking one withdraws it).
   */
  public Set<String> alreadyGranted(PendingAuthorization request) {
    if (request.forceConsent()) return Set.of();
    return consents.find(request.clientId(), request.userId()).map(Consent::scopes).orElse(Set.of());
  }

  /** The user's answer: Allow or Deny, the ticked scopes, and the sending limit for wallet:send. */
  public record Answer(boolean allow, Set<String> ticked, Consent.SendLimit sendLimit) {}

  /**
   * Applies the answer and returns where to send the browser: the app's redirect URI with a code
   * or access_denied. An answer that cannot be applied is an {@link OAuthException} whose error
   * may not be redirected (the form is not the app's to see).
   */
  public String apply(PendingAuthorization request, Answer answer) {
    if (!request.scopes().containsAll(answer.ticked()))
      throw new OAuthException(OAuthError.INVALID_SCOPE.withDescription(
          "The form contained a permission the app did not ask for.").withoutRedirect());
    Set<String> ticked = ScopeCatalog.ordered(answer.ticked());
    Consent.SendLimit limit = ticked.contains(ScopeCatalog.WALLET_SEND) ? answer.sendLimit() : null;
    // With prompt=consent every requested scope was offered again, so unticking one withdraws it;
    // otherwise earlier grants stay and the new ones are added (incremental authorization).
    Set<String> withdrawn = new LinkedHashSet<>();
    if (request.forceConsent()) {
      withdrawn.addAll(request.scopes());
      withdrawn.removeAll(ticked);
    }
    // The request is used up in the transaction that records the answer: both commit, or neither.
    return tx.inTransaction(() -> {
      if (!pending.consume(request.id()))
        throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
            "This request was already answered. Go back to the app and start again.").withoutRedirect());
      if (!answer.allow() || ticked.isEmpty()) {
        audit.record(AuditLog.CONSENT_DENIED, request.userId(), request.clientId(), null,
            String.join(" ", request.scopes()));
        return codes.errorRedirect(request.redirectUri(), OAuthError.ACCESS_DENIED, request.state());
      }
      Set<String> before = consents.find(request.clientId(), request.userId()).map(Consent::scopes).orElse(Set.of());
      if (before.stream().anyMatch(withdrawn::contains)) {
        // A withdrawn scope must stop working at once, so the tokens that carry it go; the code
        // issued below starts a family with what the user allows now.
        tokens.revokeFamilies(request.clientId(), request.userId(), clock.instant());
      }
      Consent consent = consents.grant(request.clientId(), request.userId(), ticked, withdrawn, limit,
          clock.instant());
      audit.record(AuditLog.CONSENT_GRANTED, request.userId(), request.clientId(), null, String.join(" ", ticked));
      return codes.issue(request.clientId(), request.userId(), request.redirectUri(), request.redirectUriGiven(),
          consent.scopes(), request.codeChallenge(), request.state());
    });
  }
}
