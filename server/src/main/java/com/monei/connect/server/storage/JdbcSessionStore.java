package com.monei.connect.server.storage;

import com.monei.connect.server.account.SessionStore;
import java.time.Instant;
import java.util.Optional;

/** Sessions are read on every page and written at every sign-in, so their statements stay prepared. */
public final class JdbcSessionStore implements SessionStore {
  private static final String INSERT =
      "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
  private static final String FIND =
      "SELECT COALESCE(user_id, '') AS user_id FROM sessions WHERE id_hash = ? AND expires_at > ?";
  private static final String DELETE = "DELETE FROM sessions WHERE id_hash = ?";

  private final Database db;

  public JdbcSessionStore(Database db) {
    this.db = db;
  }

  @Override
  public void replace(String oldIdHash, String idHash, String userId, Instant now, Instant expiresAt) {
    db.inTransaction(() -> {
      db.update(DELETE, oldIdHash);
      return db.update(INSERT, idHash, userId, now.toEpochMilli(), expiresAt.toEpochMilli());
    });
  }

  @Override
  public Optional<String> findUser(String idHash, Instant now) {
    return db.findOne(FIND, row -> row.getString("user_id"), idHash, now.toEpochMilli());
  }

  @Override
  public void delete(String idHash) {
    db.update(DELETE, idHash);
  }
}
