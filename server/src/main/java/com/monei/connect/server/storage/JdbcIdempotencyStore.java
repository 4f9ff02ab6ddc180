package com.monei.connect.server.storage;

import com.monei.connect.server.wallet.IdempotencyStore;
import java.time.Instant;
import java.util.Optional;

public final class JdbcIdempotencyStore implements IdempotencyStore {
  private static final String FIND = """
      SELECT request_hash, response_status, response_body FROM idempotency_keys
      WHERE user_id = :userId AND client_id = :clientId AND idempotency_key = :key""";
  private static final String INSERT = """
      INSERT INTO idempotency_keys (user_id, client_id, idempotency_key, request_hash, response_status,
        response_body, created_at)
      VALUES (:userId, :clientId, :key, :hash, :status, :body, :now)""";

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
  public void save(String userId, String clientId, String key, Stored stored, Instant now) {
    db.withHandle(h -> h.createUpdate(INSERT).bind("userId", userId).bind("clientId", clientId).bind("key", key)
        .bind("hash", stored.requestHash()).bind("status", stored.status()).bind("body", stored.body())
        .bind("now", now.toEpochMilli()).execute());
  }
}
