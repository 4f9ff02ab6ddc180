package com.monei.connect.server.storage;

import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.oauth.PendingAuthorization;
import com.monei.connect.server.oauth.PendingAuthorizationStore;
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
    return db.read(FIND, rs -> rs.next()
        ? Optional.of(new PendingAuthorization(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getBoolean(6), ScopeCatalog.parse(rs.getString(7)), rs.getString(8),
            rs.getString(9), rs.getBoolean(10), Instant.ofEpochMilli(rs.getLong(11)),
            Instant.ofEpochMilli(rs.getLong(12))))
        : Optional.<PendingAuthorization>empty(), id, now.toEpochMilli());
  }

  @Override
  public boolean consume(String id) {
    return db.update(DELETE, id) == 1;
  }
}
