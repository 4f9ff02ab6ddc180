package com.monei.connect.server.storage;

import com.monei.connect.server.account.SessionStore;
import java.time.Instant;
import java.util.Optional;

/** Sessions are read on every page and written at every sign-in, so their statements stay prepared. */
public final class JdbcSessionStore implements SessionStore {
  private static final String INSERT =
      "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
  private static final String FIND = "SELECT COALESCE(user_id, '') AS user_id, created_at, expires_at FROM sessions"
      + " WHERE id_hash = ? AND expires_at > ?";
  // Only ever later: two processes extending at once, or an older request finishing last, cannot shorten it.
  private static final String EXTEND = "UPDATE sessions SET expires_at = ? WHERE id_hash = ? AND expires_at < ?";
  private static final String DELETE = "DELETE FROM sessions WHERE id_hash = ?";
  private static final String DELETE_OF_USER = "DELETE FROM sessions WHERE user_id = ?";
  private static final String DELETE_OF_USER_BUT = "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?";

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
  public Optional<Stored> find(String idHash, Instant now) {
    return db.findOne(FIND, row -> new Stored(row.getString("user_id"),
        Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("expires_at"))),
        idHash, now.toEpochMilli());
  }

  @Override
  public void extend(String idHash, Instant expiresAt) {
    long millis = expiresAt.toEpochMilli();
    db.update(EXTEND, millis, idHash, millis);
  }

  @Override
  public void delete(String idHash) {
    db.update(DELETE, idHash);
  }

  @Override
  public int deleteAllOfUser(String userId, String keepIdHash) {
    return keepIdHash == null ? db.update(DELETE_OF_USER, userId) : db.update(DELETE_OF_USER_BUT, userId, keepIdHash);
  }
}
