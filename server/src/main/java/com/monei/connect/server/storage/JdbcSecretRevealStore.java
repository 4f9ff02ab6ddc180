package com.monei.connect.server.storage;

import com.monei.connect.server.app.SecretRevealStore;
import com.monei.connect.server.app.SecretReveals;
import java.time.Instant;
import java.util.Optional;

public final class JdbcSecretRevealStore implements SecretRevealStore {
  private static final String INSERT = """
      INSERT INTO secret_reveals (id_hash, session_hash, client_id, occasion, expires_at)
      VALUES (?, ?, ?, ?, ?)""";
  private static final String FIND = """
      SELECT occasion FROM secret_reveals
      WHERE id_hash = ? AND session_hash = ? AND client_id = ? AND expires_at > ?""";
  private static final String DELETE = "DELETE FROM secret_reveals WHERE id_hash = ?";

  private final Database db;

  public JdbcSecretRevealStore(Database db) {
    this.db = db;
  }

  @Override
  public void save(String idHash, String sessionHash, String clientId, SecretReveals.Occasion occasion,
      Instant expiresAt) {
    db.update(INSERT, idHash, sessionHash, clientId, occasion.name(), expiresAt.toEpochMilli());
  }

  @Override
  public Optional<SecretReveals.Occasion> consume(String idHash, String sessionHash, String clientId, Instant now) {
    // Whoever deletes the row has opened the reveal; a concurrent opener deletes nothing.
    return db.inRowLockingTransaction(() -> {
      Optional<String> occasion = db.findOne(FIND, row -> row.getString("occasion"), idHash, sessionHash, clientId,
          now.toEpochMilli());
      if (occasion.isEmpty() || db.update(DELETE, idHash) != 1) return Optional.<SecretReveals.Occasion>empty();
      return Optional.of(SecretReveals.Occasion.valueOf(occasion.get()));
    });
  }
}
