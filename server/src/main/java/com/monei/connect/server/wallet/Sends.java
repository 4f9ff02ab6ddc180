package com.monei.connect.server.wallet;

import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ConsentStore;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sending money on a user's behalf through an app: validation, the grant's rolling 24-hour limit,
 * the double-entry transfer and the idempotency record, all in one transaction.
 */
public final class Sends {
  public static final Duration LIMIT_WINDOW = Duration.ofHours(24);
  public static final int MAX_NOTE_LENGTH = 140;
  public static final int MAX_KEY_LENGTH = 255;
  /** Applies when a grant has no stored limit (it always has one when wallet:send was granted). */
  public static final Consent.SendLimit FALLBACK_LIMIT = new Consent.SendLimit(1_000_000, "NGN");

  private final LedgerStore ledger;
  private final IdempotencyStore idempotency;
  private final ConsentStore consents;
  private final Transactions tx;
  private final Confirmations confirmations;
  private final AuditLog audit;
  private final Clock clock;

  public Sends(LedgerStore ledger, IdempotencyStore idempotency, ConsentStore consents, Confirmations confirmations,
      Transactions tx, AuditLog audit, Clock clock) {
    this.ledger = ledger;
    this.confirmations = confirmations;
    this.idempotency = idempotency;
    this.consents = consents;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
  }

  /** A send as the app asked for it, not yet validated. */
  public record SendRequest(String to, String amount, String currency, String note) {}

  /** How a validated send ended; the API turns it into the stored and returned response. */
  public sealed interface Outcome {
    record Completed(LedgerEntry entry) implements Outcome {}
    record InsufficientFunds() implements Outcome {}
    record LimitExceeded(Consent.SendLimit limit, boolean otherCurrency) implements Outcome {}
    record RecipientNotFound() implements Outcome {}
    /** Above the grant's threshold: nothing moved, and the answer is not stored under the key. */
    record ConfirmationRequired(Confirmation confirmation, long expiresIn) implements Outcome {}
    record ConfirmationRejected() implements Outcome {}
  }

  /** The response to return, and whether it repeats an earlier one. */
  public record Result(int status, String body, boolean replayed) {}

  /** A request that must not be stored under its key (malformed, or the key reused for another body). */
  public static final class Rejected extends RuntimeException {
    public final boolean conflict;

    Rejected(String message, boolean conflict) {
      super(message, null, false, false);
      this.conflict = conflict;
    }
  }

  /** As below, with a confirmation bound to the request's fields rather than to its bytes. */
  public Result send(String userId, String clientId, String key, SendRequest request,
      Function<Outcome, IdempotencyStore.Stored> render) {
    return send(userId, clientId, key, request, null, render);
  }

  /**
   * Sends money, or replays the first result for this key. {@code render} turns an outcome into the
   * stored response; it runs inside the transaction so the stored and the returned answers are one.
   * {@code rawBody} is the request's body as sent: a confirmation is bound to exactly those bytes.
   */
  public Result send(String userId, String clientId, String key, SendRequest request, String rawBody,
      Function<Outcome, IdempotencyStore.Stored> render) {
    try {
      return attempt(userId, clientId, key, request, rawBody, render);
    } catch (Rejected e) {
      // Refused requests are audited too; the transaction that refused them wrote nothing.
      audit.record(AuditLog.SEND, userId, clientId, null, "rejected: " + e.getMessage());
      throw e;
    }
  }

  private Result attempt(String userId, String clientId, String key, SendRequest request, String rawBody,
      Function<Outcome, IdempotencyStore.Stored> render) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c < 0x7f))
      throw new Rejected("The Idempotency-Key header is required: 1-255 visible ASCII characters.", false);
    Validated send = validate(request);
    String requestHash = Hashes.sha256(String.join("\n", send.to, send.amountText, send.currency.code(), send.note));
    String bodyHash = rawBody == null ? requestHash : Hashes.sha256(rawBody);
    // Locks in one order everywhere: the key, then the grant, then both balances by wallet id.
    return tx.inRowLockingTransaction(() -> {
      if (!idempotency.claim(userId, clientId, key, requestHash, clock.instant())) {
        IdempotencyStore.Stored earlier = idempotency.find(userId, clientId, key).orElseThrow();
        if (!earlier.requestHash().equals(requestHash))
          throw new Rejected("This Idempotency-Key was already used with a different request.", true);
        return new Result(earlier.status(), earlier.body(), true);
      }
      // A confirmation was asked under this key: it stands for its body alone, whatever its state.
      Confirmation asked = confirmations.latest(userId, clientId, key).orElse(null);
      if (asked != null && !asked.bodyHash().equals(bodyHash))
        throw new Rejected("This Idempotency-Key was already used with a different request.", true);
      Outcome outcome = execute(userId, clientId, key, bodyHash, send, asked);
      if (outcome instanceof Outcome.ConfirmationRequired) {
        // The retry after the user's answer decides; until then the key stays unclaimed.
        idempotency.release(userId, clientId, key);
        IdempotencyStore.Stored shown = render.apply(outcome);
        return new Result(shown.status(), shown.body(), false);
      }
      IdempotencyStore.Stored stored = render.apply(outcome);
      idempotency.complete(userId, clientId, key, stored);
      audit.record(AuditLog.SEND, userId, clientId, null, describe(outcome, send));
      return new Result(stored.status(), stored.body(), false);
    });
  }

  private record Validated(String to, String amountText, long amountMinor, Currency currency, String note) {}

  private Validated validate(SendRequest request) {
    if (request.to() == null || request.to().isBlank()) throw new Rejected("\"to\" is required: an email or a wallet id.", false);
    if (request.currency() == null) throw new Rejected("\"currency\" is required.", false);
    Currency currency = ledger.currency(request.currency().toUpperCase(Locale.ROOT))
        .filter(c -> request.currency().equals(c.code()))
        .orElseThrow(() -> new Rejected("Unknown currency: " + request.currency(), false));
    long minor;
    try {
      minor = Amounts.parsePositive(request.amount(), currency);
    } catch (ValidationException e) {
      throw new Rejected(e.getMessage(), false);
    }
    String note = request.note() == null ? "" : request.note();
    if (note.length() > MAX_NOTE_LENGTH) throw new Rejected("\"note\" is longer than 140 characters.", false);
    return new Validated(request.to().strip(), request.amount(), minor, currency, note);
  }

  private Outcome execute(String userId, String clientId, String key, String bodyHash, Validated send,
      Confirmation asked) {
    if (asked != null && asked.state() == Confirmation.State.REJECTED) return new Outcome.ConfirmationRejected();
    Instant now = clock.instant();
    Optional<WalletOwner> recipient = send.to.startsWith("wal_") ? ledger.ownerOfWallet(send.to)
        : ledger.walletOfEmail(Accounts.normalizeEmail(send.to), now);
    if (recipient.isEmpty()) return new Outcome.RecipientNotFound();
    if (recipient.get().userId().equals(userId)) throw new Rejected("You cannot send money to yourself.", false);

    consents.holdForSend(clientId, userId);
    Consent.SendLimit limit = consents.find(clientId, userId).map(Consent::sendLimit).orElse(FALLBACK_LIMIT);
    // Strictly more than the limit in total is refused; a send that reaches it exactly is allowed.
    long alreadySent = ledger.sentThrough(userId, clientId, send.currency.code(), now.minus(LIMIT_WINDOW));
    if (!limit.currency().equals(send.currency.code())) return new Outcome.LimitExceeded(limit, true);
    if (alreadySent + send.amountMinor > limit.amountMinor()) return new Outcome.LimitExceeded(limit, false);
    boolean confirmed = asked != null && asked.state() == Confirmation.State.CONFIRMED
        && asked.recipientWalletId().equals(recipient.get().walletId());
    if (!confirmed && confirmations.needed(limit, send.amountMinor, send.currency)) {
      Confirmation open = asked != null && asked.openAt(now) ? asked
          : confirmations.ask(userId, clientId, key, bodyHash, recipient.get(), send.amountMinor, send.currency,
              send.note);
      return new Outcome.ConfirmationRequired(open, confirmations.secondsLeft(open));
    }

    String senderWalletId = ledger.walletIdFor(userId, now);
    WalletOwner sender = ledger.ownerOfWallet(senderWalletId).orElseThrow();
    ledger.lockBalances(senderWalletId, recipient.get().walletId(), send.currency, now);
    String txnId = Ids.next("txn_");
    if (!ledger.transfer(txnId, sender, recipient.get(), send.currency, send.amountMinor,
        send.note.isEmpty() ? null : send.note, clientId, now)) {
      return new Outcome.InsufficientFunds();
    }
    return new Outcome.Completed(ledger.entry(senderWalletId, txnId).orElseThrow());
  }

  private static String describe(Outcome outcome, Validated send) {
    String what = send.currency.code() + " " + Amounts.format(send.amountMinor, send.currency) + " to " + send.to;
    if (outcome instanceof Outcome.Completed c) return "completed " + c.entry().id() + ": " + what;
    if (outcome instanceof Outcome.InsufficientFunds) return "refused, insufficient funds: " + what;
    if (outcome instanceof Outcome.LimitExceeded) return "refused, send limit exceeded: " + what;
    if (outcome instanceof Outcome.ConfirmationRejected) return "refused, the user rejected it: " + what;
    return "refused, recipient not found: " + what;
  }

  /** What a grant may still send now (GET /api/v1/wallet/limits); {@code confirmAbove} empty when nothing needs it. */
  public record Limits(Currency currency, long limitMinor, long usedMinor, Optional<String> confirmAbove) {
    public long remainingMinor() {
      return Math.max(0, limitMinor - usedMinor);
    }
  }

  public Limits limits(String userId, String clientId) {
    Consent.SendLimit limit = consents.find(clientId, userId).map(Consent::sendLimit).orElse(FALLBACK_LIMIT);
    Currency currency = ledger.currency(limit.currency()).orElseThrow();
    long used = ledger.sentThrough(userId, clientId, currency.code(), clock.instant().minus(LIMIT_WINDOW));
    return new Limits(currency, limit.amountMinor(), used, confirmations.confirmAbove(limit, currency));
  }

  /** The wallet's history page: entries newest first and the cursor of the next page, if any. */
  public record Page(java.util.List<LedgerEntry> entries, String nextCursor) {}

  public Page history(String userId, String cursor, int limit) {
    String walletId = ledger.walletOf(userId).map(Wallet::id).orElse(null);
    if (walletId == null) return new Page(java.util.List.of(), null);
    Long beforeSeq = null;
    String beforeId = null;
    if (cursor != null) {
      Cursor c = Cursor.decode(cursor);
      beforeSeq = c.seq();
      beforeId = c.id();
    }
    java.util.List<LedgerEntry> entries = ledger.history(walletId, beforeSeq, beforeId, limit + 1);
    String next = null;
    if (entries.size() > limit) {
      entries = entries.subList(0, limit);
      LedgerEntry last = entries.get(limit - 1);
      next = new Cursor(last.seq(), last.id()).encode();
    }
    return new Page(entries, next);
  }

  /** An opaque position in a history: the (sequence, id) of the last entry returned. */
  record Cursor(long seq, String id) {
    String encode() {
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
          (seq + ":" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
      String raw;
      try {
        raw = new String(java.util.Base64.getUrlDecoder().decode(text), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException notBase64) {
        throw invalid();
      }
      int colon = raw.indexOf(':');
      String id = raw.substring(colon + 1);
      // Only what encode writes: a non-negative sequence number and a transaction id.
      if (colon < 1 || !id.startsWith("txn_") || !raw.substring(0, colon).matches("[0-9]{1,18}")) throw invalid();
      return new Cursor(Long.parseLong(raw.substring(0, colon)), id);
    }

    private static Rejected invalid() {
      return new Rejected("The cursor is not valid; use next_cursor from the previous page.", false);
    }
  }
}
