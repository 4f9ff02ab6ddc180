package com.monei.connect.server.storage;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Ids;
import java.time.Clock;

public final class JdbcAuditLog implements AuditLog {
  private static final String INSERT = """
      INSERT INTO audit_events (id, at, event, user_id, client_id, ip, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";

  private final Database db;
  private final Clock clock;

  public JdbcAuditLog(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Joins the caller's transaction when there is one, so the event commits with what it describes. */
  @Override
  public void record(String event, String userId, String clientId, String ip, String detail) {
    db.update(INSERT, Ids.next("aud_"), clock.millis(), event, userId, clientId, ip, detail);
  }
}
