package com.monei.connect.server.storage;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Ids;
import java.time.Clock;

public final class JdbcAuditLog implements AuditLog {
  private static final String INSERT = """
      INSERT INTO audit_events (id, at, event, user_id, client_id, ip, detail)
      VALUES (:id, :at, :event, :userId, :clientId, :ip, :detail)""";

  private final Database db;
  private final Clock clock;

  public JdbcAuditLog(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Joins the caller's transaction when there is one, so the event commits with what it describes. */
  @Override
  public void record(String event, String userId, String clientId, String ip, String detail) {
    db.inTransaction(() -> db.withHandle(h -> h.createUpdate(INSERT).bind("id", Ids.next("aud_"))
        .bind("at", clock.millis()).bind("event", event).bind("userId", userId).bind("clientId", clientId)
        .bind("ip", ip).bind("detail", detail).execute()));
  }
}
