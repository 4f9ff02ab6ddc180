package com.monei.connect.server.storage;

import com.monei.connect.server.account.LoginFailureStore;
import com.monei.connect.server.token.Ids;
import java.time.Instant;

public final class JdbcLoginFailureStore implements LoginFailureStore {
  private static final String INSERT = "INSERT INTO login_failures (id, subject, at) VALUES (:id, :subject, :at)";
  private static final String COUNT = "SELECT COUNT(*) FROM login_failures WHERE subject = ? AND at > ?";

  private final Database db;

  public JdbcLoginFailureStore(Database db) {
    this.db = db;
  }

  @Override
  public void record(String subject, Instant at) {
    db.inTransaction(() -> db.withHandle(h -> h.createUpdate(INSERT).bind("id", Ids.next("lf_"))
        .bind("subject", subject).bind("at", at.toEpochMilli()).execute()));
  }

  @Override
  public int countSince(String subject, Instant since) {
    return db.read(COUNT, rs -> rs.next() ? rs.getInt(1) : 0, subject, since.toEpochMilli());
  }
}
