package com.monei.connect.server.storage;

import com.monei.connect.server.account.LoginFailureStore;
import com.monei.connect.server.token.Ids;
import java.time.Instant;

public final class JdbcLoginFailureStore implements LoginFailureStore {
  private static final String INSERT = "INSERT INTO login_failures (id, subject, at) VALUES (?, ?, ?)";
  private static final String COUNT = "SELECT COUNT(*) AS failures FROM login_failures WHERE subject = ? AND at > ?";

  private final Database db;

  public JdbcLoginFailureStore(Database db) {
    this.db = db;
  }

  @Override
  public void record(String subject, Instant at) {
    db.update(INSERT, Ids.next("lf_"), subject, at.toEpochMilli());
  }

  @Override
  public int countSince(String subject, Instant since) {
    return db.read(COUNT, row -> row.next() ? row.getInt("failures") : 0, subject, since.toEpochMilli());
  }
}
