package com.monei.connect.server.wallet;

import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.LoginAttempts;
import com.monei.connect.server.account.PasswordHasher;
import com.monei.connect.server.account.SecondFactor;
import com.monei.connect.server.account.User;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.transaction.Transactions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sends the user confirms (SPEC 1.6, *Send confirmation*): which sends need it, asking for it, and the
 * user's answer on Monei's page, given only with a fresh proof (the second step's code when it is on,
 * otherwise the password, or a passkey of the user's either way) that counts toward the sign-in limits
 * like any other.
 */
public final class Confirmations {
  private final ConfirmationStore store;
  private final LedgerStore ledger;
  private final Accounts accounts;
  private final LoginAttempts attempts;
  private final SecondFactor secondFactor;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;
  private final BigDecimal floor;
  private final Duration ttl;

  /**
   * {@code floor} is the operator's MONEI_SEND_CONFIRM_ABOVE, compared with the amount in the send's
   * own currency (null: none); {@code ttl} how long an unanswered confirmation lives.
   */
  public Confirmations(ConfirmationStore store, LedgerStore ledger, Accounts accounts, LoginAttempts attempts,
      SecondFactor secondFactor, Transactions tx, AuditLog audit, Clock clock, BigDecimal floor, Duration ttl) {
    this.store = store;
    this.ledger = ledger;
    this.accounts = accounts;
    this.attempts = attempts;
    this.secondFactor = secondFactor;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
    this.floor = floor;
    this.ttl = ttl;
  }

  /**
   * The amount above which a send in {@code currency} under {@code limit} must be confirmed: the lower
   * of the grant's threshold (which is in the limit's currency) and the operator's floor. Amounts are
   * whole minor units, so rounding a finer floor down changes no decision.
   */
  public Optional<BigDecimal> threshold(Consent.SendLimit limit, Currency currency) {
    BigDecimal lowest = floor;
    if (limit != null && limit.confirmAboveMinor() != null && limit.currency().equals(currency.code())) {
      BigDecimal own = BigDecimal.valueOf(limit.confirmAboveMinor(), currency.minorUnits());
      lowest = lowest == null ? own : lowest.min(own);
    }
    return Optional.ofNullable(lowest).map(t -> t.setScale(currency.minorUnits(), RoundingMode.DOWN));
  }

  /** The threshold as the API writes it ("50.00"), or empty when no send of the grant needs confirming. */
  public Optional<String> confirmAbove(Consent.SendLimit limit, Currency currency) {
    return threshold(limit, currency).map(BigDecimal::toPlainString);
  }

  /** Strictly more than the threshold needs confirming; a send of exactly the threshold does not. */
  boolean needed(Consent.SendLimit limit, long amountMinor, Currency currency) {
    return threshold(limit, currency)
        .map(t -> BigDecimal.valueOf(amountMinor, currency.minorUnits()).compareTo(t) > 0).orElse(false);
  }

  /** The newest confirmation asked for this request's key; inside the send's transaction. */
  Optional<Confirmation> latest(String userId, String clientId, String key) {
    return store.latest(userId, clientId, key);
  }

  /** Records a new confirmation for a send that needs one; inside the send's transaction. */
  Confirmation ask(String userId, String clientId, String key, String bodyHash, WalletOwner recipient,
      long amountMinor, Currency currency, String note) {
    Instant now = clock.instant();
    Confirmation c = new Confirmation(Ids.next("cfm_"), userId, clientId, key, bodyHash, recipient.walletId(),
        amountMinor, currency.code(), note, Confirmation.State.PENDING, now, now.plus(ttl), null);
    store.insert(c);
    audit.record(AuditLog.SEND_CONFIRMATION_ASKED, userId, clientId, null,
        c.id() + ": " + currency.code() + " " + Amounts.format(amountMinor, currency) + " to " + recipient.walletId());
    return c;
  }

  /** Whole seconds until the confirmation expires, never negative. */
  public long secondsLeft(Confirmation c) {
    long millis = Duration.between(clock.instant(), c.expiresAt()).toMillis();
    return millis <= 0 ? 0 : (millis + 999) / 1000;
  }

  /** A confirmation as its user's page shows it, with the recipient. */
  public record Shown(Confirmation confirmation, Currency currency, String recipientName, String recipientEmail,
      boolean open, boolean asksForCode) {}

  /** The user's own confirmation; empty for anyone else's and unknown ids alike. */
  public Optional<Shown> show(String id, String userId) {
    Optional<Confirmation> found = id == null ? Optional.empty() : store.find(id);
    if (found.isEmpty() || !found.get().userId().equals(userId)) return Optional.empty();
    Confirmation c = found.get();
    Optional<WalletOwner> recipient = ledger.ownerOfWallet(c.recipientWalletId());
    String email = recipient.flatMap(r -> accounts.find(r.userId())).map(User::email).orElse(null);
    Currency currency = ledger.currency(c.currency()).orElseThrow();
    return Optional.of(new Shown(c, currency, recipient.map(WalletOwner::name).orElse(c.recipientWalletId()), email,
        c.openAt(clock.instant()), secondFactor.enabled(userId)));
  }

  /** How an answer on the page ended. */
  public enum Answer { DECIDED, WRONG_PROOF, THROTTLED, CLOSED }

  /** The user proving themselves again, checked only once the attempt is counted. */
  @FunctionalInterface
  public interface Proof {
    /** Empty when the proof holds; otherwise why not, for the audit trail (never a secret; may be blank). */
    Optional<String> refusal(User user);
  }

  /**
   * The user's answer to their own confirmation {@code id}, with {@code secret}: a code when the
   * second step is on, otherwise the password. The attempt is counted before the proof is checked.
   */
  public Answer decide(String userId, String id, Confirmation.State decision, String secret, String ip) {
    return decide(userId, id, decision, user -> {
      boolean holds = secondFactor.enabled(userId) ? secret != null && secondFactor.verify(userId, secret)
          : PasswordHasher.verify(secret, user.passwordHash());
      return holds ? Optional.empty() : Optional.of("");
    }, ip);
  }

  /**
   * The user's answer to their own confirmation {@code id}, with any {@code proof} (a passkey as well
   * as a code or password): the same guards, limits, state change and audit events for every kind.
   */
  public Answer decide(String userId, String id, Confirmation.State decision, Proof proof, String ip) {
    if (decision == Confirmation.State.PENDING) throw new IllegalArgumentException("not a decision");
    Optional<Confirmation> found = store.find(id);
    if (found.isEmpty() || !found.get().userId().equals(userId) || !found.get().openAt(clock.instant()))
      return Answer.CLOSED;
    User user = accounts.find(userId).orElseThrow();
    try (LoginAttempts.Attempt attempt = attempts.begin(user.email(), ip)) {
      if (attempt.throttled()) {
        audit.record(AuditLog.LOGIN_THROTTLED, userId, null, ip, "send confirmation " + id);
        return Answer.THROTTLED;
      }
      Optional<String> refusal = proof.refusal(user);
      if (refusal.isPresent()) {
        audit.record(AuditLog.SEND_CONFIRMATION_PROOF_FAILED, userId, found.get().clientId(), ip,
            refusal.get().isBlank() ? id : id + ": " + refusal.get());
        return Answer.WRONG_PROOF;
      }
      return tx.inTransaction(() -> {
        attempts.succeeded(attempt);
        if (!store.decide(id, userId, decision, clock.instant())) return Answer.CLOSED;
        audit.record(decision == Confirmation.State.CONFIRMED ? AuditLog.SEND_CONFIRMED : AuditLog.SEND_REJECTED,
            userId, found.get().clientId(), ip, id);
        return Answer.DECIDED;
      });
    }
  }
}
