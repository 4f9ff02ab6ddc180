package com.monei.connect.server.storage;

import com.monei.connect.server.wallet.Confirmation;
import com.monei.connect.server.wallet.ConfirmationStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

public final class JdbcConfirmationStore implements ConfirmationStore {
  private static final String COLUMNS = """
      id, user_id, client_id, idempotency_key, body_hash, recipient_wallet_id, amount_minor, currency, note, state,
      created_at, expires_at, decided_at""";
  private static final String INSERT = "INSERT INTO send_confirmations (" + COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String FIND = "SELECT " + COLUMNS + " FROM send_confirmations WHERE id = ?";
  private static final String LATEST = "SELECT " + COLUMNS + """
       FROM send_confirmations WHERE user_id = ? AND client_id = ? AND idempotency_key = ?
      ORDER BY created_at DESC, id DESC LIMIT 1""";
  // The state moves once, from pending, and only before the expiry: two answers cannot both win.
  private static final String DECIDE = """
      UPDATE send_confirmations SET state = ?, decided_at = ?
      WHERE id = ? AND user_id = ? AND state = 'pending' AND expires_at > ?""";

  private static Confirmation confirmation(ResultRow row) throws SQLException {
    long decided = row.getLong("decided_at");
    Instant decidedAt = row.wasNull() ? null : Instant.ofEpochMilli(decided);
    return new Confirmation(row.getString("id"), row.getString("user_id"), row.getString("client_id"),
        row.getString("idempotency_key"), row.getString("body_hash"), row.getString("recipient_wallet_id"),
        row.getLong("amount_minor"), row.getString("currency"), row.getString("note"),
        Confirmation.State.valueOf(row.getString("state").toUpperCase(Locale.ROOT)),
        Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("expires_at")), decidedAt);
  }

  private static String state(Confirmation.State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private final Database db;

  public JdbcConfirmationStore(Database db) {
    this.db = db;
  }

  @Override
  public void insert(Confirmation c) {
    db.update(INSERT, c.id(), c.userId(), c.clientId(), c.idempotencyKey(), c.bodyHash(), c.recipientWalletId(),
        c.amountMinor(), c.currency(), c.note(), state(c.state()), c.createdAt().toEpochMilli(),
        c.expiresAt().toEpochMilli(), c.decidedAt() == null ? null : c.decidedAt().toEpochMilli());
  }

  @Override
  public Optional<Confirmation> find(String id) {
    return db.findOne(FIND, JdbcConfirmationStore::confirmation, id);
  }

  @Override
  public Optional<Confirmation> latest(String userId, String clientId, String key) {
    return db.findOne(LATEST, JdbcConfirmationStore::confirmation, userId, clientId, key);
  }

  @Override
  public boolean decide(String id, String userId, Confirmation.State decision, Instant now) {
    return db.update(DECIDE, state(decision), now.toEpochMilli(), id, userId, now.toEpochMilli()) == 1;
  }
}
