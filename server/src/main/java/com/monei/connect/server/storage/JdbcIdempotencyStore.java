package com.monei.connect.server.storage;

import com.monei.connect.server.wallet.IdempotencyStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class JdbcIdempotencyStore implements IdempotencyStore {
  private static final String FIND = """
      SELECT request_hash, response_status, response_body FROM idempotency_keys
      WHERE user_id = ? AND client_id = ? AND idempotency_key = ?""";
  // Status 0 marks a claim whose work has not committed; no other transaction ever reads one.
  private static final String CLAIM = """
      INSERT INTO idempotency_keys (user_id, client_id, idempotency_key, request_hash, response_status,
        response_body, created_at)
      VALUES (?, ?, ?, ?, 0, '', ?)
      ON CONFLICT (user_id, client_id, idempotency_key) DO NOTHING""";
  private static final String COMPLETE = """
      UPDATE idempotency_keys SET response_status = ?, response_body = ?
      WHERE user_id = ? AND client_id = ? AND idempotency_key = ?""";

  private static final String RELEASE = """
      DELETE FROM idempotency_keys
      WHERE user_id = ? AND client_id = ? AND idempotency_key = ? AND response_status = 0""";

  private static Stored stored(ResultRow row) throws SQLException {
    return new Stored(row.getString("request_hash"), row.getInt("response_status"), row.getString("response_body"));
  }

  private final Database db;

  public JdbcIdempotencyStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Stored> find(String userId, String clientId, String key) {
    return db.findOne(FIND, JdbcIdempotencyStore::stored, userId, clientId, key);
  }

  @Override
  public boolean claim(String userId, String clientId, String key, String requestHash, Instant now) {
    return db.update(CLAIM, userId, clientId, key, requestHash, now.toEpochMilli()) == 1;
  }

  @Override
  public void release(String userId, String clientId, String key) {
    db.update(RELEASE, userId, clientId, key);
  }

  @Override
  public void complete(String userId, String clientId, String key, Stored stored) {
    db.update(COMPLETE, stored.status(), stored.body(), userId, clientId, key);
  }
}
