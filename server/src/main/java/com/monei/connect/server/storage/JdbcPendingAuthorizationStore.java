package com.monei.connect.server.storage;

import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.oauth.PendingAuthorization;
import com.monei.connect.server.oauth.PendingAuthorizationStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class JdbcPendingAuthorizationStore implements PendingAuthorizationStore {
  private static final String INSERT = """
      INSERT INTO authorization_requests (id, session_hash, user_id, client_id, redirect_uri, redirect_uri_given,
        scopes, state, code_challenge, force_consent, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String FIND = """
      SELECT id, session_hash, user_id, client_id, redirect_uri, redirect_uri_given, scopes, state, code_challenge,
        force_consent, created_at, expires_at
      FROM authorization_requests WHERE id = ? AND expires_at > ?""";
  private static final String DELETE = "DELETE FROM authorization_requests WHERE id = ?";

  private static PendingAuthorization pending(ResultRow row) throws SQLException {
    return new PendingAuthorization(row.getString("id"), row.getString("session_hash"), row.getString("user_id"),
        row.getString("client_id"), row.getString("redirect_uri"), row.getBoolean("redirect_uri_given"),
        ScopeCatalog.parse(row.getString("scopes")), row.getString("state"), row.getString("code_challenge"),
        row.getBoolean("force_consent"), Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("expires_at")));
  }

  private final Database db;

  public JdbcPendingAuthorizationStore(Database db) {
    this.db = db;
  }

  @Override
  public void save(PendingAuthorization p) {
    db.update(INSERT, p.id(), p.sessionHash(), p.userId(), p.clientId(), p.redirectUri(), p.redirectUriGiven(),
        ScopeCatalog.format(p.scopes()), p.state(), p.codeChallenge(), p.forceConsent(),
        p.createdAt().toEpochMilli(), p.expiresAt().toEpochMilli());
  }

  @Override
  public Optional<PendingAuthorization> find(String id, Instant now) {
    return db.findOne(FIND, JdbcPendingAuthorizationStore::pending, id, now.toEpochMilli());
  }

  @Override
  public boolean consume(String id) {
    return db.update(DELETE, id) == 1;
  }
}
