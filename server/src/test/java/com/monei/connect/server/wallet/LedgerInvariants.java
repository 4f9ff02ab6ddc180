package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger's invariants (SPEC 1.6: atomic double-entry, the sum of balances of a currency only
 * changes through operator credits), checked with plain SQL on the real tables, so they hold
 * whatever the code that wrote them believes.
 */
final class LedgerInvariants {
  static final String FUNDING_WALLET = "wal_system_funding";

  /** Postings of every currency add up to zero: each movement is balanced. */
  private static final String UNBALANCED_CURRENCIES = """
      SELECT currency, SUM(amount_minor) FROM postings GROUP BY currency HAVING SUM(amount_minor) <> 0""";
  /** A balance row that is not the sum of its wallet's postings. */
  private static final String BALANCE_NOT_SUM_OF_POSTINGS = """
      SELECT b.wallet_id, b.currency, b.available_minor,
        COALESCE((SELECT SUM(p.amount_minor) FROM postings p
                  WHERE p.wallet_id = b.wallet_id AND p.currency = b.currency), 0) AS posted
      FROM balances b
      WHERE b.available_minor <> COALESCE((SELECT SUM(p.amount_minor) FROM postings p
                                          WHERE p.wallet_id = b.wallet_id AND p.currency = b.currency), 0)""";
  /** Postings for a wallet and currency that have no balance row at all. */
  private static final String POSTINGS_WITHOUT_BALANCE = """
      SELECT DISTINCT p.wallet_id, p.currency FROM postings p
      WHERE NOT EXISTS (SELECT 1 FROM balances b WHERE b.wallet_id = p.wallet_id AND b.currency = p.currency)""";
  private static final String NEGATIVE_USER_BALANCES = """
      SELECT b.wallet_id, b.currency, b.available_minor FROM balances b JOIN wallets w ON w.id = b.wallet_id
      WHERE w.user_id IS NOT NULL AND b.available_minor < 0""";
  private static final String USER_TOTALS = """
      SELECT b.currency, SUM(b.available_minor) FROM balances b JOIN wallets w ON w.id = b.wallet_id
      WHERE w.user_id IS NOT NULL GROUP BY b.currency""";
  private static final String CREDITED_TOTALS = """
      SELECT currency, SUM(amount_minor) FROM ledger_transactions WHERE kind = 'credit' GROUP BY currency""";
  private static final String FUNDING_BALANCES = """
      SELECT currency, available_minor FROM balances WHERE wallet_id = '""" + FUNDING_WALLET + "'";
  /**
   * A transaction whose postings are not exactly: minus the amount on from_wallet and plus the
   * amount on to_wallet, in the transaction's currency.
   */
  private static final String MALFORMED_TRANSACTIONS = """
      SELECT t.id, t.kind FROM ledger_transactions t
      WHERE (SELECT COUNT(*) FROM postings p WHERE p.transaction_id = t.id) <> 2
         OR NOT EXISTS (SELECT 1 FROM postings p WHERE p.transaction_id = t.id AND p.wallet_id = t.from_wallet
                        AND p.currency = t.currency AND p.amount_minor = -t.amount_minor)
         OR NOT EXISTS (SELECT 1 FROM postings p WHERE p.transaction_id = t.id AND p.wallet_id = t.to_wallet
                        AND p.currency = t.currency AND p.amount_minor = t.amount_minor)
         OR t.amount_minor <= 0
         OR t.kind NOT IN ('credit', 'send')
         OR (t.kind = 'credit' AND t.from_wallet <> '""" + FUNDING_WALLET + "')"
      + "\n   OR (t.kind = 'send' AND (t.from_wallet = t.to_wallet OR t.from_wallet = '" + FUNDING_WALLET
      + "' OR t.to_wallet = '" + FUNDING_WALLET + "'))";
  private static final String ORPHAN_POSTINGS = """
      SELECT p.transaction_id FROM postings p
      WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = p.transaction_id)""";

  private LedgerInvariants() {}

  /** Asserts every invariant on the current state of the database behind {@code db}. */
  static void check(Database db) {
    db.withConnection(c -> {
      check(c);
      return null;
    });
  }

  /** Asserts every invariant on the database behind {@code connection}. */
  static void check(Connection connection) {
    List<String> violations = violations(connection);
    assertThat(violations).as("ledger invariant violations").isEmpty();
  }

  static List<String> violations(Connection c) {
    List<String> found = new ArrayList<>();
    rows(c, UNBALANCED_CURRENCIES).forEach(r -> found.add("postings of " + r + " do not sum to 0"));
    rows(c, BALANCE_NOT_SUM_OF_POSTINGS).forEach(r -> found.add("balance is not the sum of postings: " + r));
    rows(c, POSTINGS_WITHOUT_BALANCE).forEach(r -> found.add("postings without a balance row: " + r));
    rows(c, NEGATIVE_USER_BALANCES).forEach(r -> found.add("negative user balance: " + r));
    rows(c, MALFORMED_TRANSACTIONS).forEach(r -> found.add("transaction without exactly (-a, +a) postings: " + r));
    rows(c, ORPHAN_POSTINGS).forEach(r -> found.add("posting without a transaction: " + r));
    Map<String, Long> users = totals(c, USER_TOTALS);
    Map<String, Long> credited = totals(c, CREDITED_TOTALS);
    Map<String, Long> funding = totals(c, FUNDING_BALANCES);
    for (String currency : union(users, credited)) {
      long u = users.getOrDefault(currency, 0L);
      long cr = credited.getOrDefault(currency, 0L);
      if (u != cr) found.add(currency + ": user balances sum to " + u + " but credits total " + cr);
      long f = funding.getOrDefault(currency, 0L);
      if (f != -cr) found.add(currency + ": funding account holds " + f + ", expected " + -cr);
    }
    return found;
  }

  /** The sum of all user balances per currency, in minor units. */
  static Map<String, Long> userTotals(Connection c) {
    return totals(c, USER_TOTALS);
  }

  static List<List<Object>> rows(Connection c, String sql, Object... params) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        List<List<Object>> rows = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) row.add(rs.getObject(i));
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static long count(Connection c, String sql, Object... params) {
    return ((Number) rows(c, sql, params).get(0).get(0)).longValue();
  }

  private static Map<String, Long> totals(Connection c, String sql) {
    Map<String, Long> totals = new TreeMap<>();
    for (List<Object> row : rows(c, sql)) totals.put((String) row.get(0), ((Number) row.get(1)).longValue());
    return totals;
  }

  private static java.util.Set<String> union(Map<String, Long> a, Map<String, Long> b) {
    java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }
}
