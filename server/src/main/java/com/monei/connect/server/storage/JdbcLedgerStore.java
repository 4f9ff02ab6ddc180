package com.monei.connect.server.storage;

import com.monei.connect.server.token.Ids;
import com.monei.connect.server.wallet.Balance;
import com.monei.connect.server.wallet.Currency;
import com.monei.connect.server.wallet.LedgerStore;
import com.monei.connect.server.wallet.Wallet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbcLedgerStore implements LedgerStore {
  static final String FUNDING_WALLET = "wal_system_funding";

  private static final String CURRENCY = "SELECT code, minor_units FROM currencies WHERE code = :code";
  private static final String WALLET_ID = "SELECT id FROM wallets WHERE user_id = :userId";
  private static final String INSERT_WALLET = """
      INSERT INTO wallets (id, user_id, created_at) VALUES (:id, :userId, :now) ON CONFLICT (user_id) DO NOTHING""";
  private static final String BALANCES = """
      SELECT c.code, c.minor_units, b.available_minor, b.updated_at
      FROM balances b JOIN currencies c ON c.code = b.currency
      WHERE b.wallet_id = :walletId ORDER BY c.code""";
  private static final String WALLET_CREATED = "SELECT created_at FROM wallets WHERE id = :walletId";
  private static final String INSERT_TRANSACTION = """
      INSERT INTO ledger_transactions (id, kind, currency, amount_minor, from_wallet, to_wallet, note, client_id,
        created_at)
      VALUES (:id, :kind, :currency, :amount, :from, :to, :note, :clientId, :now)""";
  private static final String INSERT_POSTING = """
      INSERT INTO postings (transaction_id, wallet_id, currency, amount_minor, created_at)
      VALUES (:transactionId, :walletId, :currency, :amount, :now)""";
  // Upsert with an increment, so the first movement in a currency creates the balance row.
  private static final String ADD_TO_BALANCE = """
      INSERT INTO balances (wallet_id, currency, available_minor, updated_at)
      VALUES (:walletId, :currency, :amount, :now)
      ON CONFLICT (wallet_id, currency) DO UPDATE SET
        available_minor = balances.available_minor + excluded.available_minor,
        updated_at = excluded.updated_at""";
  private static final String BALANCE =
      "SELECT available_minor FROM balances WHERE wallet_id = :walletId AND currency = :currency";

  private final Database db;

  public JdbcLedgerStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Currency> currency(String code) {
    return db.withHandle(h -> h.createQuery(CURRENCY).bind("code", code)
        .map((rs, ctx) -> new Currency(rs.getString("code"), rs.getInt("minor_units"))).findOne());
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
    return db.withHandle(h -> {
      Optional<String> walletId = h.createQuery(WALLET_ID).bind("userId", userId).mapTo(String.class).findOne();
      if (walletId.isEmpty()) return Optional.empty();
      long[] updated = {h.createQuery(WALLET_CREATED).bind("walletId", walletId.get()).mapTo(Long.class).one()};
      List<Balance> balances = h.createQuery(BALANCES).bind("walletId", walletId.get()).map((rs, ctx) -> {
        updated[0] = Math.max(updated[0], rs.getLong("updated_at"));
        return new Balance(new Currency(rs.getString("code"), rs.getInt("minor_units")),
            rs.getLong("available_minor"));
      }).list();
      return Optional.of(new Wallet(walletId.get(), userId, balances, Instant.ofEpochMilli(updated[0])));
    });
  }

  @Override
  public long credit(String transactionId, String walletId, Currency currency, long amountMinor, Instant now) {
    return db.inTransaction(() -> db.withHandle(h -> {
      h.createUpdate(INSERT_TRANSACTION).bind("id", transactionId).bind("kind", "credit")
          .bind("currency", currency.code()).bind("amount", amountMinor).bind("from", FUNDING_WALLET)
          .bind("to", walletId).bind("note", "Operator credit").bind("clientId", (String) null)
          .bind("now", now.toEpochMilli()).execute();
      post(h, transactionId, FUNDING_WALLET, currency, -amountMinor, now);
      post(h, transactionId, walletId, currency, amountMinor, now);
      return h.createQuery(BALANCE).bind("walletId", walletId).bind("currency", currency.code())
          .mapTo(Long.class).one();
    }));
  }

  private static void post(org.jdbi.v3.core.Handle h, String transactionId, String walletId, Currency currency,
      long amount, Instant now) {
    h.createUpdate(INSERT_POSTING).bind("transactionId", transactionId).bind("walletId", walletId)
        .bind("currency", currency.code()).bind("amount", amount).bind("now", now.toEpochMilli()).execute();
    h.createUpdate(ADD_TO_BALANCE).bind("walletId", walletId).bind("currency", currency.code())
        .bind("amount", amount).bind("now", now.toEpochMilli()).execute();
  }
}
