package com.monei.connect.server.storage;

import com.monei.connect.server.account.LoginFailureStore;
import java.time.Instant;

public final class JdbcLoginFailureStore implements LoginFailureStore {
  // An upsert locks the subject's row on PostgreSQL (a second one waits for the first transaction)
  // and is portable to SQLite and CockroachDB, unlike SELECT ... FOR UPDATE on a row that may not exist.
  private static final String LOCK = "INSERT INTO login_subjects (subject, last_attempt_at) VALUES (?, ?) "
      + "ON CONFLICT (subject) DO UPDATE SET last_attempt_at = excluded.last_attempt_at";
  private static final String INSERT = "INSERT INTO login_failures (id, subject, at) VALUES (?, ?, ?)";
  private static final String COUNT = "SELECT COUNT(*) AS failures FROM login_failures WHERE subject = ? AND at > ?";
  private static final String DELETE = "DELETE FROM login_failures WHERE id = ?";

  private final Database db;

  public JdbcLoginFailureStore(Database db) {
    this.db = db;
  }

  @Override
  public void lock(String subject, Instant at) {
    db.update(LOCK, subject, at.toEpochMilli());
  }

  @Override
  public int countSince(String subject, Instant since) {
    return db.read(COUNT, row -> row.next() ? row.getInt("failures") : 0, subject, since.toEpochMilli());
  }

  @Override
  public void record(String id, String subject, Instant at) {
    db.update(INSERT, id, subject, at.toEpochMilli());
  }

  @Override
  public void remove(String id) {
    db.update(DELETE, id);
  }
}
