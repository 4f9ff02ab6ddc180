package com.monei.connect.server.storage;

import com.monei.connect.server.wallet.IdempotencyStore;
import java.time.Instant;
import java.util.Optional;

public final class JdbcIdempotencyStore implements IdempotencyStore {
  private static final String FIND = """
      SELECT request_hash, response_status, response_body FROM idempotency_keys
      WHERE user_id = :userId AND client_id = :clientId AND idempotency_key = :key""";
  // Status 0 marks a claim whose work has not committed; no other transaction ever reads one.
  private static final String CLAIM = """
      INSERT INTO idempotency_keys (user_id, client_id, idempotency_key, request_hash, response_status,
        response_body, created_at)
      VALUES (:userId, :clientId, :key, :hash, 0, '', :now)
      ON CONFLICT (user_id, client_id, idempotency_key) DO NOTHING""";
  private static final String COMPLETE = """
      UPDATE idempotency_keys SET response_status = :status, response_body = :body
      WHERE user_id = :userId AND client_id = :clientId AND idempotency_key = :key""";

  private final Database db;

  public JdbcIdempotencyStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Stored> find(String userId, String clientId, String key) {
    return db.withHandle(h -> h.createQuery(FIND).bind("userId", userId).bind("clientId", clientId).bind("key", key)
        .map((rs, ctx) -> new Stored(rs.getString("request_hash"), rs.getInt("response_status"),
            rs.getString("response_body")))
        .findOne());
  }

  @Override
  public boolean claim(String userId, String clientId, String key, String requestHash, Instant now) {
    return db.withHandle(h -> h.createUpdate(CLAIM).bind("userId", userId).bind("clientId", clientId).bind("key", key)
        .bind("hash", requestHash).bind("now", now.toEpochMilli()).execute()) == 1;
  }

  @Override
  public void complete(String userId, String clientId, String key, Stored stored) {
    db.withHandle(h -> h.createUpdate(COMPLETE).bind("userId", userId).bind("clientId", clientId).bind("key", key)
        .bind("status", stored.status()).bind("body", stored.body()).execute());
  }
}
