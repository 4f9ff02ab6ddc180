package com.monei.connect.server.storage;

import com.monei.connect.server.account.SessionStore;
import java.time.Instant;
import java.util.Optional;

public final class JdbcSessionStore implements SessionStore {
  private static final String INSERT = """
      INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (:idHash, :userId, :now, :expires)""";
  private static final String FIND =
      "SELECT COALESCE(user_id, '') FROM sessions WHERE id_hash = :idHash AND expires_at > :now";
  private static final String DELETE = "DELETE FROM sessions WHERE id_hash = :idHash";

  private final Database db;

  public JdbcSessionStore(Database db) {
    this.db = db;
  }

  @Override
  public void create(String idHash, String userId, Instant now, Instant expiresAt) {
    db.inTransaction(() -> db.withHandle(h -> h.createUpdate(INSERT).bind("idHash", idHash).bind("userId", userId)
        .bind("now", now.toEpochMilli()).bind("expires", expiresAt.toEpochMilli()).execute()));
  }

  @Override
  public Optional<String> findUser(String idHash, Instant now) {
    return db.withHandle(h -> h.createQuery(FIND).bind("idHash", idHash).bind("now", now.toEpochMilli())
        .mapTo(String.class).findOne());
  }

  @Override
  public void delete(String idHash) {
    db.inTransaction(() -> db.withHandle(h -> h.createUpdate(DELETE).bind("idHash", idHash).execute()));
  }
}
