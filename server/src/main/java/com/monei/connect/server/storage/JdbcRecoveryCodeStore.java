package com.monei.connect.server.storage;

import com.monei.connect.server.account.RecoveryCodeStore;
import java.util.List;

public final class JdbcRecoveryCodeStore implements RecoveryCodeStore {
  private static final String INSERT = "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)";
  private static final String CONSUME = "DELETE FROM recovery_codes WHERE user_id = ? AND code_hash = ?";
  private static final String COUNT = "SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ?";
  private static final String DELETE_ALL = "DELETE FROM recovery_codes WHERE user_id = ?";

  private final Database db;

  public JdbcRecoveryCodeStore(Database db) {
    this.db = db;
  }

  @Override
  public void replaceAll(String userId, List<String> codeHashes) {
    db.inTransaction(() -> {
      db.update(DELETE_ALL, userId);
      for (String hash : codeHashes) db.update(INSERT, userId, hash);
      return null;
    });
  }

  @Override
  public boolean consume(String userId, String codeHash) {
    return db.update(CONSUME, userId, codeHash) == 1;
  }

  @Override
  public int count(String userId) {
    return db.read(COUNT, rows -> rows.next() ? rows.getInt("n") : 0, userId);
  }

  @Override
  public int deleteAll(String userId) {
    return db.update(DELETE_ALL, userId);
  }
}
