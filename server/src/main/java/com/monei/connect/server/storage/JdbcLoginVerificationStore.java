package com.monei.connect.server.storage;

import com.monei.connect.server.account.LoginVerificationStore;
import java.time.Instant;
import java.util.Optional;

public final class JdbcLoginVerificationStore implements LoginVerificationStore {
  private static final String INSERT =
      "INSERT INTO login_verifications (id_hash, user_id, return_to, expires_at) VALUES (?, ?, ?, ?)";
  private static final String FIND =
      "SELECT user_id, return_to, expires_at FROM login_verifications WHERE id_hash = ?";
  private static final String DELETE = "DELETE FROM login_verifications WHERE id_hash = ?";

  private final Database db;

  public JdbcLoginVerificationStore(Database db) {
    this.db = db;
  }

  @Override
  public void save(String idHash, String userId, String returnTo, Instant expiresAt) {
    db.update(INSERT, idHash, userId, returnTo, expiresAt.toEpochMilli());
  }

  @Override
  public Optional<Waiting> find(String idHash) {
    return db.findOne(FIND, row -> new Waiting(row.getString("user_id"), row.getString("return_to"),
        Instant.ofEpochMilli(row.getLong("expires_at"))), idHash);
  }

  @Override
  public boolean delete(String idHash) {
    return db.update(DELETE, idHash) == 1;
  }
}
