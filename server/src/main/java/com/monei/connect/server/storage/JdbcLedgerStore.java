package com.monei.connect.server.storage;

import com.monei.connect.server.token.Ids;
import com.monei.connect.server.wallet.Balance;
import com.monei.connect.server.wallet.Currency;
import com.monei.connect.server.wallet.LedgerEntry;
import com.monei.connect.server.wallet.LedgerSequence;
import com.monei.connect.server.wallet.LedgerStore;
import com.monei.connect.server.wallet.Wallet;
import com.monei.connect.server.wallet.WalletOwner;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

public final class JdbcLedgerStore implements LedgerStore {
  static final String FUNDING_WALLET = "wal_system_funding";

  private static final String CURRENCY = "SELECT code, minor_units FROM currencies WHERE code = ?";
  private static final String CURRENCIES = "SELECT code, minor_units FROM currencies ORDER BY code";
  private static final String WALLET_ID = "SELECT id FROM wallets WHERE user_id = ?";
  private static final String INSERT_WALLET = """
      INSERT INTO wallets (id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING""";
  // The wallet and its balances in one statement: this is the hot path of GET /api/v1/wallet/me.
  private static final String WALLET_WITH_BALANCES = """
      SELECT w.id, w.created_at, c.code, c.minor_units, b.available_minor, b.updated_at
      FROM wallets w
      LEFT JOIN balances b ON b.wallet_id = w.id
      LEFT JOIN currencies c ON c.code = b.currency
      WHERE w.user_id = ? ORDER BY c.code""";
  private static final String INSERT_TRANSACTION = """
      INSERT INTO ledger_transactions (id, kind, currency, amount_minor, from_wallet, to_wallet, note, client_id,
        created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String INSERT_POSTING = """
      INSERT INTO postings (transaction_id, wallet_id, currency, amount_minor, created_at, seq)
      VALUES (?, ?, ?, ?, ?, ?)""";
  // Upsert with an increment, so the first movement in a currency creates the balance row.
  private static final String ADD_TO_BALANCE = """
      INSERT INTO balances (wallet_id, currency, available_minor, updated_at)
      VALUES (?, ?, ?, ?)
      ON CONFLICT (wallet_id, currency) DO UPDATE SET
        available_minor = balances.available_minor + excluded.available_minor,
        updated_at = excluded.updated_at""";
  private static final String LOCK_BALANCE =
      "UPDATE balances SET available_minor = available_minor WHERE wallet_id = ? AND currency = ?";
  private static final String BALANCE =
      "SELECT available_minor FROM balances WHERE wallet_id = ? AND currency = ?";
  private static final String OWNER_OF_WALLET = """
      SELECT w.id, w.user_id, u.name FROM wallets w JOIN users u ON u.id = w.user_id WHERE w.id = ?""";
  private static final String WALLET_OF_EMAIL = """
      SELECT w.id, w.user_id, u.name FROM wallets w JOIN users u ON u.id = w.user_id WHERE u.email = ?""";
  private static final String USER_OF_EMAIL = "SELECT id FROM users WHERE email = ?";
  // The balance guard in the WHERE clause makes check-and-debit one atomic statement.
  private static final String DEBIT = """
      UPDATE balances SET available_minor = available_minor - ?, updated_at = ?
      WHERE wallet_id = ? AND currency = ? AND available_minor >= ?""";
  private static final String INSERT_SEND = """
      INSERT INTO ledger_transactions (id, kind, currency, amount_minor, from_wallet, to_wallet, note, client_id,
        initiated_by, created_at)
      VALUES (?, 'send', ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String SENT_THROUGH = """
      SELECT COALESCE(SUM(amount_minor), 0) AS sent FROM ledger_transactions
      WHERE initiated_by = ? AND client_id = ? AND currency = ? AND kind = 'send'
        AND created_at > ?""";
  // The wallet's id is the first two parameters of every history query.
  private static final String HISTORY_SELECT = """
      SELECT t.id, t.kind, t.currency, c.minor_units, t.amount_minor, t.from_wallet, t.to_wallet, t.note,
        t.created_at, p.seq, ow.id AS other_wallet, u.name AS other_name
      FROM postings p
      JOIN ledger_transactions t ON t.id = p.transaction_id
      JOIN currencies c ON c.code = t.currency
      LEFT JOIN wallets ow ON ow.id = CASE WHEN t.from_wallet = ? THEN t.to_wallet ELSE t.from_wallet END
      LEFT JOIN users u ON u.id = ow.user_id
      WHERE p.wallet_id = ?""";
  private static final String HISTORY_FIRST = HISTORY_SELECT
      + " ORDER BY p.seq DESC, p.transaction_id DESC LIMIT ?";
  private static final String HISTORY_AFTER = HISTORY_SELECT
      + " AND (p.seq < ? OR (p.seq = ? AND p.transaction_id < ?))"
      + " ORDER BY p.seq DESC, p.transaction_id DESC LIMIT ?";
  private static final String ENTRY = HISTORY_SELECT + " AND t.id = ?";

  private static Currency currency(ResultRow row) throws SQLException {
    return new Currency(row.getString("code"), row.getInt("minor_units"));
  }

  private static WalletOwner owner(ResultRow row) throws SQLException {
    return new WalletOwner(row.getString("id"), row.getString("user_id"), row.getString("name"));
  }

  /** The wallet with its balances: one row per currency held, or one row of NULLs when none. */
  private static Optional<Wallet> wallet(ResultRow row, String userId) throws SQLException {
    String walletId = null;
    long updated = 0;
    List<Balance> balances = new ArrayList<>();
    while (row.next()) {
      walletId = row.getString("id");
      updated = Math.max(updated, row.getLong("created_at"));
      if (row.getString("code") == null) continue;
      updated = Math.max(updated, row.getLong("updated_at"));
      balances.add(new Balance(currency(row), row.getLong("available_minor")));
    }
    return walletId == null ? Optional.empty()
        : Optional.of(new Wallet(walletId, userId, List.copyOf(balances), Instant.ofEpochMilli(updated)));
  }

  /** A history row, seen from {@code walletId}. */
  private static LedgerEntry entry(ResultRow row, String walletId) throws SQLException {
    String kind = row.getString("kind");
    String type = kind.equals("credit") ? "credit" : walletId.equals(row.getString("from_wallet")) ? "send" : "receive";
    String otherWallet = row.getString("other_wallet");
    String otherName = row.getString("other_name");
    return new LedgerEntry(row.getString("id"), type, row.getLong("amount_minor"),
        new Currency(row.getString("currency"), row.getInt("minor_units")), otherWallet,
        otherName == null ? "Monei" : otherName, row.getString("note"), Instant.ofEpochMilli(row.getLong("created_at")),
        row.getLong("seq"));
  }

  private final Database db;
  /**
   * Currencies found so far: rows that only migrations write and nothing changes, read by every send
   * and every token answer for wallet:send. Only found ones are kept, so one added later is seen.
   */
  private final ConcurrentHashMap<String, Currency> currencies = new ConcurrentHashMap<>();

  public JdbcLedgerStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Currency> currency(String code) {
    Currency known = currencies.get(code);
    if (known != null) return Optional.of(known);
    Optional<Currency> found = db.findOne(CURRENCY, JdbcLedgerStore::currency, code);
    found.ifPresent(c -> currencies.putIfAbsent(code, c));
    return found;
  }

  @Override
  public List<Currency> currencies() {
    return db.list(CURRENCIES, JdbcLedgerStore::currency);
  }

  @Override
  public String walletIdFor(String userId, Instant now) {
    Optional<String> existing = walletId(userId);
    if (existing.isPresent()) return existing.get();
    db.update(INSERT_WALLET, Ids.next("wal_"), userId, now.toEpochMilli());
    return walletId(userId).orElseThrow();
  }

  private Optional<String> walletId(String userId) {
    return db.findOne(WALLET_ID, row -> row.getString("id"), userId);
  }

  @Override
  public Optional<Wallet> walletOf(String userId) {
    return db.read(WALLET_WITH_BALANCES, row -> wallet(row, userId), userId);
  }

  @Override
  public long credit(String transactionId, String walletId, Currency currency, long amountMinor, Instant now) {
    return db.inTransaction(() -> {
      db.update(INSERT_TRANSACTION, transactionId, "credit", currency.code(), amountMinor, FUNDING_WALLET, walletId,
          "Operator credit", null, now.toEpochMilli());
      long seq = LedgerSequence.next(now);
      post(transactionId, FUNDING_WALLET, currency, -amountMinor, now, seq);
      post(transactionId, walletId, currency, amountMinor, now, seq);
      return db.findOne(BALANCE, row -> row.getLong("available_minor"), walletId, currency.code()).orElseThrow();
    });
  }

  @Override
  public Optional<WalletOwner> ownerOfWallet(String walletId) {
    return db.findOne(OWNER_OF_WALLET, JdbcLedgerStore::owner, walletId);
  }

  @Override
  public Optional<WalletOwner> walletOfEmail(String email, Instant now) {
    Optional<String> userId = db.findOne(USER_OF_EMAIL, row -> row.getString("id"), email);
    if (userId.isEmpty()) return Optional.empty();
    walletIdFor(userId.get(), now);
    return db.findOne(WALLET_OF_EMAIL, JdbcLedgerStore::owner, email);
  }

  @Override
  public void lockBalances(String walletA, String walletB, Currency currency, Instant now) {
    // A missing row needs no lock: a debit from it fails, and a credit creates it.
    for (String wallet : new TreeSet<>(List.of(walletA, walletB))) db.update(LOCK_BALANCE, wallet, currency.code());
  }

  @Override
  public boolean transfer(String transactionId, WalletOwner from, WalletOwner to, Currency currency, long amountMinor,
      String note, String clientId, Instant now) {
    int debited = db.update(DEBIT, amountMinor, now.toEpochMilli(), from.walletId(), currency.code(), amountMinor);
    if (debited == 0) return false;
    db.update(INSERT_SEND, transactionId, currency.code(), amountMinor, from.walletId(), to.walletId(), note, clientId,
        from.userId(), now.toEpochMilli());
    long seq = LedgerSequence.next(now);
    insertPosting(transactionId, from.walletId(), currency, -amountMinor, now, seq);
    insertPosting(transactionId, to.walletId(), currency, amountMinor, now, seq);
    db.update(ADD_TO_BALANCE, to.walletId(), currency.code(), amountMinor, now.toEpochMilli());
    return true;
  }

  @Override
  public long sentThrough(String userId, String clientId, String currency, Instant since) {
    return db.findOne(SENT_THROUGH, row -> row.getLong("sent"), userId, clientId, currency, since.toEpochMilli())
        .orElseThrow();
  }

  @Override
  public List<LedgerEntry> history(String walletId, Long beforeSeq, String beforeId, int limit) {
    return beforeSeq == null
        ? db.list(HISTORY_FIRST, row -> entry(row, walletId), walletId, walletId, limit)
        : db.list(HISTORY_AFTER, row -> entry(row, walletId), walletId, walletId,
            beforeSeq, beforeSeq, beforeId, limit);
  }

  @Override
  public Optional<LedgerEntry> entry(String walletId, String transactionId) {
    return db.findOne(ENTRY, row -> entry(row, walletId), walletId, walletId, transactionId);
  }

  private void insertPosting(String transactionId, String walletId, Currency currency, long amount, Instant now,
      long seq) {
    db.update(INSERT_POSTING, transactionId, walletId, currency.code(), amount, now.toEpochMilli(), seq);
  }

  private void post(String transactionId, String walletId, Currency currency, long amount, Instant now, long seq) {
    insertPosting(transactionId, walletId, currency, amount, now, seq);
    db.update(ADD_TO_BALANCE, walletId, currency.code(), amount, now.toEpochMilli());
  }
}
