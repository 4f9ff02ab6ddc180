package com.monei.connect.server.storage;

import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ConsentStore;
import com.monei.connect.server.consent.ScopeCatalog;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public final class JdbcConsentStore implements ConsentStore {
  private static final String FIND = """
      SELECT client_id, user_id, scopes, send_limit_minor, send_limit_currency, send_confirm_above_minor, created_at,
        updated_at
      FROM consents WHERE client_id = ? AND user_id = ?""";
  private static final String UPSERT = """
      INSERT INTO consents (client_id, user_id, scopes, send_limit_minor, send_limit_currency,
        send_confirm_above_minor, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (client_id, user_id) DO UPDATE SET
        scopes = excluded.scopes,
        send_limit_minor = excluded.send_limit_minor,
        send_limit_currency = excluded.send_limit_currency,
        send_confirm_above_minor = excluded.send_confirm_above_minor,
        updated_at = excluded.updated_at""";
  private static final String FOR_USER = """
      SELECT client_id, user_id, scopes, send_limit_minor, send_limit_currency, send_confirm_above_minor, created_at,
        updated_at
      FROM consents WHERE user_id = ? ORDER BY created_at, client_id""";
  // A no-op update takes the row lock on PostgreSQL and the write lock on SQLite.
  private static final String HOLD = """
      UPDATE consents SET updated_at = updated_at WHERE client_id = ? AND user_id = ?""";
  private static final String CHANGE_LIMIT = """
      UPDATE consents SET send_limit_minor = ?, send_limit_currency = ?, send_confirm_above_minor = ?, updated_at = ?
      WHERE client_id = ? AND user_id = ?""";
  private static final String DELETE = "DELETE FROM consents WHERE client_id = ? AND user_id = ?";

  private static Consent consent(ResultRow row) throws SQLException {
    long limit = row.getLong("send_limit_minor");
    boolean noLimit = row.wasNull();
    long confirmAbove = row.getLong("send_confirm_above_minor");
    Long threshold = row.wasNull() ? null : confirmAbove;
    Consent.SendLimit sendLimit =
        noLimit ? null : new Consent.SendLimit(limit, row.getString("send_limit_currency"), threshold);
    return new Consent(row.getString("client_id"), row.getString("user_id"),
        ScopeCatalog.parse(row.getString("scopes")), sendLimit, Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }

  private final Database db;

  public JdbcConsentStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Consent> find(String clientId, String userId) {
    return db.findOne(FIND, JdbcConsentStore::consent, clientId, userId);
  }

  @Override
  public List<Consent> forUser(String userId) {
    return db.list(FOR_USER, JdbcConsentStore::consent, userId);
  }

  @Override
  public Consent grant(String clientId, String userId, Set<String> scopes, Set<String> withdrawn,
      Consent.SendLimit sendLimit, Instant now) {
    // Read-merge-write inside one serializable transaction: a concurrent grant either commits
    // first (and we see it) or forces a retry, so no scope is lost and no insert collides.
    return db.inTransaction(() -> {
      Optional<Consent> existing = find(clientId, userId);
      Set<String> union = new LinkedHashSet<>();
      existing.ifPresent(c -> union.addAll(c.scopes()));
      union.removeAll(withdrawn);
      union.addAll(scopes);
      Set<String> ordered = ScopeCatalog.ordered(union);
      Consent.SendLimit limit = sendLimit != null ? sendLimit : existing.map(Consent::sendLimit).orElse(null);
      db.update(UPSERT, clientId, userId, String.join(" ", ordered), limit == null ? null : limit.amountMinor(),
          limit == null ? null : limit.currency(), limit == null ? null : limit.confirmAboveMinor(),
          now.toEpochMilli(), now.toEpochMilli());
      return new Consent(clientId, userId, ordered, limit, existing.map(Consent::createdAt).orElse(now), now);
    });
  }

  @Override
  public void holdForSend(String clientId, String userId) {
    db.update(HOLD, clientId, userId);
  }

  @Override
  public boolean changeSendLimit(String clientId, String userId, Consent.SendLimit limit, Instant now) {
    return db.update(CHANGE_LIMIT, limit.amountMinor(), limit.currency(), limit.confirmAboveMinor(),
        now.toEpochMilli(), clientId, userId) == 1;
  }

  @Override
  public void forget(String clientId, String userId) {
    db.update(DELETE, clientId, userId);
  }
}
