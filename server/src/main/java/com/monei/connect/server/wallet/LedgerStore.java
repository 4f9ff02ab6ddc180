package com.monei.connect.server.wallet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The double-entry ledger: wallets, balances and the postings that move them. */
public interface LedgerStore {
  Optional<Currency> currency(String code);

  /** Every currency a wallet can hold (the schema's list), by code. */
  List<Currency> currencies();

  /** The user's wallet, created on first use (idempotent under concurrency). */
  String walletIdFor(String userId, Instant now);

  Optional<Wallet> walletOf(String userId);

  /** A user-owned wallet by id (system accounts are never returned). */
  Optional<WalletOwner> ownerOfWallet(String walletId);

  /** The wallet of the user with this (lower-cased) email. */
  Optional<WalletOwner> walletOfEmail(String email, Instant now);

  /**
   * Moves {@code amountMinor} from the system funding account to the wallet as one balanced ledger
   * transaction: both postings and both balance updates commit together or not at all. Returns the
   * wallet's new balance.
   */
  long credit(String transactionId, String walletId, Currency currency, long amountMinor, Instant now);

  /**
   * Locks both wallets' existing balance rows in this currency in wallet-id order, so two sends in
   * opposite directions queue instead of deadlocking.
   */
  void lockBalances(String walletA, String walletB, Currency currency, Instant now);

  /**
   * Debits one wallet and credits another as one balanced ledger transaction, or does nothing and
   * returns false when the sender's balance is short. Must run inside a transaction.
   */
  boolean transfer(String transactionId, WalletOwner from, WalletOwner to, Currency currency, long amountMinor,
      String note, String clientId, Instant now);

  /** What the user sent through the app in {@code currency} since {@code since}, in minor units. */
  long sentThrough(String userId, String clientId, String currency, Instant since);

  /**
   * The wallet's history, newest first (by sequence, then id), strictly after the position
   * {@code (beforeSeq, beforeId)} when given; at most {@code limit} entries.
   */
  List<LedgerEntry> history(String walletId, Long beforeSeq, String beforeId, int limit);

  Optional<LedgerEntry> entry(String walletId, String transactionId);
}
