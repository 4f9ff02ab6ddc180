package com.monei.connect.server.wallet;

import java.time.Instant;
import java.util.Optional;

/** The double-entry ledger: wallets, balances and the postings that move them. */
public interface LedgerStore {
  Optional<Currency> currency(String code);

  /** The user's wallet, created on first use (idempotent under concurrency). */
  String walletIdFor(String userId, Instant now);

  Optional<Wallet> walletOf(String userId);

  /**
   * Moves {@code amountMinor} from the system funding account to the wallet as one balanced ledger
   * transaction: both postings and both balance updates commit together or not at all. Returns the
   * wallet's new balance.
   */
  long credit(String transactionId, String walletId, Currency currency, long amountMinor, Instant now);
}
