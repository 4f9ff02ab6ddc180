package com.monei.connect.server.wallet;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Reading wallets and crediting them. */
public final class Wallets {
  private final LedgerStore ledger;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;
  /** The schema's currencies: fixed by the migrations, so read once. */
  private volatile List<String> currencyCodes;

  public Wallets(LedgerStore ledger, Transactions tx, AuditLog audit, Clock clock) {
    this.ledger = ledger;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
  }

  /** The result of an operator credit. */
  public record Credited(String transactionId, String walletId, Currency currency, long amountMinor,
      long balanceMinor) {}

  /** The codes of every currency a wallet can hold, in order. */
  public List<String> currencyCodes() {
    List<String> codes = currencyCodes;
    if (codes == null) {
      codes = ledger.currencies().stream().map(Currency::code).toList();
      currencyCodes = codes;
    }
    return codes;
  }

  public Currency currency(String code) {
    String normalized = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
    return ledger.currency(normalized)
        .orElseThrow(() -> new ValidationException("unknown currency: " + code));
  }

  public Credited credit(String userId, String currencyCode, String amount) {
    Currency currency = currency(currencyCode);
    long minor = Amounts.parsePositive(amount, currency);
    Instant now = clock.instant();
    String txnId = Ids.next("txn_");
    return tx.inTransaction(() -> {
      String walletId = ledger.walletIdFor(userId, now);
      long balance = ledger.credit(txnId, walletId, currency, minor, now);
      audit.record(AuditLog.WALLET_CREDITED, userId, null, null, currency.code() + " " + Amounts.format(minor, currency));
      return new Credited(txnId, walletId, currency, minor, balance);
    });
  }

  /** The user's wallet; one with no balances when nothing has happened to it yet. */
  public Wallet walletOf(String userId) {
    return ledger.walletOf(userId).orElseGet(() -> {
      String id = tx.inTransaction(() -> ledger.walletIdFor(userId, clock.instant()));
      return new Wallet(id, userId, List.of(), clock.instant());
    });
  }
}
