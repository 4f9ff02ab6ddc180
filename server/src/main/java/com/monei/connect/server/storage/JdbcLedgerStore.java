package com.monei.connect.server.storage;

import com.monei.connect.server.token.Ids;
import com.monei.connect.server.wallet.Balance;
import com.monei.connect.server.wallet.Currency;
import com.monei.connect.server.wallet.LedgerStore;
import com.monei.connect.server.wallet.LedgerEntry;
import com.monei.connect.server.wallet.LedgerSequence;
import com.monei.connect.server.wallet.Wallet;
import com.monei.connect.server.wallet.WalletOwner;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbcLedgerStore implements LedgerStore {
  static final String FUNDING_WALLET = "wal_system_funding";

  private static final String CURRENCY = "SELECT code, minor_units FROM currencies WHERE code = ?";
  private static final String WALLET_ID = "SELECT id FROM wallets WHERE user_id = :userId";
  private static final String INSERT_WALLET = """
      INSERT INTO wallets (id, user_id, created_at) VALUES (:id, :userId, :now) ON CONFLICT (user_id) DO NOTHING""";
  private static final String BALANCES = """
      SELECT c.code, c.minor_units, b.available_minor, b.updated_at
      FROM balances b JOIN currencies c ON c.code = b.currency
      WHERE b.wallet_id = :walletId ORDER BY c.code""";
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
      VALUES (:id, :kind, :currency, :amount, :from, :to, :note, :clientId, :now)""";
  private static final String INSERT_POSTING = """
      INSERT INTO postings (transaction_id, wallet_id, currency, amount_minor, created_at, seq)
      VALUES (:transactionId, :walletId, :currency, :amount, :now, :seq)""";
  // Upsert with an increment, so the first movement in a currency creates the balance row.
  private static final String ADD_TO_BALANCE = """
      INSERT INTO balances (wallet_id, currency, available_minor, updated_at)
      VALUES (:walletId, :currency, :amount, :now)
      ON CONFLICT (wallet_id, currency) DO UPDATE SET
        available_minor = balances.available_minor + excluded.available_minor,
        updated_at = excluded.updated_at""";
  private static final String LOCK_BALANCE =
      "UPDATE balances SET available_minor = available_minor WHERE wallet_id = :walletId AND currency = :currency";
  private static final String BALANCE =
      "SELECT available_minor FROM balances WHERE wallet_id = :walletId AND currency = :currency";
  private static final String OWNER_OF_WALLET = """
      SELECT w.id, w.user_id, u.name FROM wallets w JOIN users u ON u.id = w.user_id WHERE w.id = :walletId""";
  private static final String WALLET_OF_EMAIL = """
      SELECT w.id, w.user_id, u.name FROM wallets w JOIN users u ON u.id = w.user_id WHERE u.email = :email""";
  private static final String USER_OF_EMAIL = "SELECT id FROM users WHERE email = :email";
  // The balance guard in the WHERE clause makes check-and-debit one atomic statement.
  private static final String DEBIT = """
      UPDATE balances SET available_minor = available_minor - :amount, updated_at = :now
      WHERE wallet_id = :walletId AND currency = :currency AND available_minor >= :amount""";
  private static final String INSERT_SEND = """
      INSERT INTO ledger_transactions (id, kind, currency, amount_minor, from_wallet, to_wallet, note, client_id,
        initiated_by, created_at)
      VALUES (:id, 'send', :currency, :amount, :from, :to, :note, :clientId, :userId, :now)""";
  private static final String SENT_THROUGH = """
      SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_transactions
      WHERE initiated_by = :userId AND client_id = :clientId AND currency = :currency AND kind = 'send'
        AND created_at > :since""";
  private static final String HISTORY_SELECT = """
      SELECT t.id, t.kind, t.currency, c.minor_units, t.amount_minor, t.from_wallet, t.to_wallet, t.note,
        t.created_at, p.seq, ow.id AS other_wallet, u.name AS other_name
      FROM postings p
      JOIN ledger_transactions t ON t.id = p.transaction_id
      JOIN currencies c ON c.code = t.currency
      LEFT JOIN wallets ow ON ow.id = CASE WHEN t.from_wallet = :walletId THEN t.to_wallet ELSE t.from_wallet END
      LEFT JOIN users u ON u.id = ow.user_id
      WHERE p.wallet_id = :walletId""";
  private static final String HISTORY_FIRST = HISTORY_SELECT
      + " ORDER BY p.seq DESC, p.transaction_id DESC LIMIT :limit";
  private static final String HISTORY_AFTER = HISTORY_SELECT
      + " AND (p.seq < :beforeSeq OR (p.seq = :beforeSeq AND p.transaction_id < :beforeId))"
      + " ORDER BY p.seq DESC, p.transaction_id DESC LIMIT :limit";
  private static final String ENTRY = HISTORY_SELECT + " AND t.id = :transactionId";

  private final Database db;

  public JdbcLedgerStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Currency> currency(String code) {
    return db.read(CURRENCY, rs -> rs.next() ? Optional.of(new Currency(rs.getString(1), rs.getInt(2)))
        : Optional.<Currency>empty(), code);
  }

  @Override
  public String walletIdFor(String userId, Instant now) {
    return db.withHandle(h -> {
      Optional<String> existing = h.createQuery(WALLET_ID).bind("userId", userId).mapTo(String.class).findOne();
      if (existing.isPresent()) return existing.get();
      h.createUpdate(INSERT_WALLET).bind("id", Ids.next("wal_")).bind("userId", userId)
          .bind("now", now.toEpochMilli()).execute();
      return h.createQuery(WALLET_ID).bind("userId", userId).mapTo(String.class).one();
    });
  }

  @Override
  public Optional<Wallet> walletOf(String userId) {
    // GET /api/v1/wallet/me: plain JDBC on a cached statement.
    return db.read(WALLET_WITH_BALANCES, rs -> {
      String walletId = null;
      long updated = 0;
      List<Balance> balances = new java.util.ArrayList<>();
      while (rs.next()) {
        walletId = rs.getString(1);
        updated = Math.max(updated, rs.getLong(2));
        String code = rs.getString(3);
        if (code == null) continue;
        updated = Math.max(updated, rs.getLong(6));
        balances.add(new Balance(new Currency(code, rs.getInt(4)), rs.getLong(5)));
      }
      return walletId == null ? Optional.<Wallet>empty()
          : Optional.of(new Wallet(walletId, userId, List.copyOf(balances), Instant.ofEpochMilli(updated)));
    }, userId);
  }

  @Override
  public long credit(String transactionId, String walletId, Currency currency, long amountMinor, Instant now) {
    return db.inTransaction(() -> db.withHandle(h -> {
      h.createUpdate(INSERT_TRANSACTION).bind("id", transactionId).bind("kind", "credit")
          .bind("currency", currency.code()).bind("amount", amountMinor).bind("from", FUNDING_WALLET)
          .bind("to", walletId).bind("note", "Operator credit").bind("clientId", (String) null)
          .bind("now", now.toEpochMilli()).execute();
      long seq = LedgerSequence.next(now);
      post(h, transactionId, FUNDING_WALLET, currency, -amountMinor, now, seq);
      post(h, transactionId, walletId, currency, amountMinor, now, seq);
      return h.createQuery(BALANCE).bind("walletId", walletId).bind("currency", currency.code())
          .mapTo(Long.class).one();
    }));
  }

  @Override
  public Optional<WalletOwner> ownerOfWallet(String walletId) {
    return db.withHandle(h -> h.createQuery(OWNER_OF_WALLET).bind("walletId", walletId).map(OWNER).findOne());
  }

  @Override
  public Optional<WalletOwner> walletOfEmail(String email, Instant now) {
    return db.withHandle(h -> {
      Optional<String> userId = h.createQuery(USER_OF_EMAIL).bind("email", email).mapTo(String.class).findOne();
      if (userId.isEmpty()) return Optional.empty();
      walletIdFor(userId.get(), now);
      return h.createQuery(WALLET_OF_EMAIL).bind("email", email).map(OWNER).findOne();
    });
  }

  @Override
  public void lockBalances(String walletA, String walletB, Currency currency, Instant now) {
    db.withHandle(h -> {
      // A missing row needs no lock: a debit from it fails, and a credit creates it.
      for (String wallet : new java.util.TreeSet<>(List.of(walletA, walletB))) {
        h.createUpdate(LOCK_BALANCE).bind("walletId", wallet).bind("currency", currency.code()).execute();
      }
      return null;
    });
  }

  @Override
  public boolean transfer(String transactionId, WalletOwner from, WalletOwner to, Currency currency, long amountMinor,
      String note, String clientId, Instant now) {
    return db.withHandle(h -> {
      int debited = h.createUpdate(DEBIT).bind("walletId", from.walletId()).bind("currency", currency.code())
          .bind("amount", amountMinor).bind("now", now.toEpochMilli()).execute();
      if (debited == 0) return false;
      h.createUpdate(INSERT_SEND).bind("id", transactionId).bind("currency", currency.code()).bind("amount", amountMinor)
          .bind("from", from.walletId()).bind("to", to.walletId()).bind("note", note).bind("clientId", clientId)
          .bind("userId", from.userId()).bind("now", now.toEpochMilli()).execute();
      long seq = LedgerSequence.next(now);
      insertPosting(h, transactionId, from.walletId(), currency, -amountMinor, now, seq);
      insertPosting(h, transactionId, to.walletId(), currency, amountMinor, now, seq);
      h.createUpdate(ADD_TO_BALANCE).bind("walletId", to.walletId()).bind("currency", currency.code())
          .bind("amount", amountMinor).bind("now", now.toEpochMilli()).execute();
      return true;
    });
  }

  @Override
  public long sentThrough(String userId, String clientId, String currency, Instant since) {
    return db.withHandle(h -> h.createQuery(SENT_THROUGH).bind("userId", userId).bind("clientId", clientId)
        .bind("currency", currency).bind("since", since.toEpochMilli()).mapTo(Long.class).one());
  }

  @Override
  public List<LedgerEntry> history(String walletId, Long beforeSeq, String beforeId, int limit) {
    return db.withHandle(h -> {
      var query = h.createQuery(beforeSeq == null ? HISTORY_FIRST : HISTORY_AFTER).bind("walletId", walletId)
          .bind("limit", limit);
      if (beforeSeq != null) query.bind("beforeSeq", beforeSeq).bind("beforeId", beforeId);
      return query.map((rs, ctx) -> entry(rs, walletId)).list();
    });
  }

  @Override
  public Optional<LedgerEntry> entry(String walletId, String transactionId) {
    return db.withHandle(h -> h.createQuery(ENTRY).bind("walletId", walletId).bind("transactionId", transactionId)
        .map((rs, ctx) -> entry(rs, walletId)).findOne());
  }

  private static LedgerEntry entry(java.sql.ResultSet rs, String walletId) throws java.sql.SQLException {
    String kind = rs.getString("kind");
    String type = kind.equals("credit") ? "credit" : walletId.equals(rs.getString("from_wallet")) ? "send" : "receive";
    String otherWallet = rs.getString("other_wallet");
    String otherName = rs.getString("other_name");
    return new LedgerEntry(rs.getString("id"), type, rs.getLong("amount_minor"),
        new Currency(rs.getString("currency"), rs.getInt("minor_units")), otherWallet,
        otherName == null ? "Monei" : otherName, rs.getString("note"), Instant.ofEpochMilli(rs.getLong("created_at")),
        rs.getLong("seq"));
  }

  private static final org.jdbi.v3.core.mapper.RowMapper<WalletOwner> OWNER =
      (rs, ctx) -> new WalletOwner(rs.getString("id"), rs.getString("user_id"), rs.getString("name"));

  private static void insertPosting(org.jdbi.v3.core.Handle h, String transactionId, String walletId,
      Currency currency, long amount, Instant now, long seq) {
    h.createUpdate(INSERT_POSTING).bind("transactionId", transactionId).bind("walletId", walletId)
        .bind("currency", currency.code()).bind("amount", amount).bind("now", now.toEpochMilli())
        .bind("seq", seq).execute();
  }

  private static void post(org.jdbi.v3.core.Handle h, String transactionId, String walletId, Currency currency,
      long amount, Instant now, long seq) {
    insertPosting(h, transactionId, walletId, currency, amount, now, seq);
    h.createUpdate(ADD_TO_BALANCE).bind("walletId", walletId).bind("currency", currency.code())
        .bind("amount", amount).bind("now", now.toEpochMilli()).execute();
  }
}
