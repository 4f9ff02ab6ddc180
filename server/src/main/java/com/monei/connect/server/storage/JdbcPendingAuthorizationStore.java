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
      VALUES (:id, :sessionHash, :userId, :clientId, :redirectUri, :redirectUriGiven, :scopes, :state,
        :codeChallenge, :forceConsent, :createdAt, :expiresAt)""";
  private static final String FIND = """
      SELECT id, session_hash, user_id, client_id, redirect_uri, redirect_uri_given, scopes, state, code_challenge,
        force_consent, created_at, expires_at
      FROM authorization_requests WHERE id = :id AND expires_at > :now""";
  private static final String DELETE = "DELETE FROM authorization_requests WHERE id = :id";

  private final Database db;

  public JdbcPendingAuthorizationStore(Database db) {
    this.db = db;
  }

  @Override
  public void save(PendingAuthorization p) {
    db.inTransaction(() -> db.withHandle(h -> h.createUpdate(INSERT).bind("id", p.id())
        .bind("sessionHash", p.sessionHash()).bind("userId", p.userId()).bind("clientId", p.clientId())
        .bind("redirectUri", p.redirectUri()).bind("redirectUriGiven", p.redirectUriGiven())
        .bind("scopes", ScopeCatalog.format(p.scopes())).bind("state", p.state())
        .bind("codeChallenge", p.codeChallenge()).bind("forceConsent", p.forceConsent())
        .bind("createdAt", p.createdAt().toEpochMilli()).bind("expiresAt", p.expiresAt().toEpochMilli())
        .execute()));
  }

  @Override
  public Optional<PendingAuthorization> find(String id, Instant now) {
    return db.withHandle(h -> h.createQuery(FIND).bind("id", id).bind("now", now.toEpochMilli())
        .map((rs, ctx) -> new PendingAuthorization(rs.getString("id"), rs.getString("session_hash"),
            rs.getString("user_id"), rs.getString("client_id"), rs.getString("redirect_uri"),
            rs.getBoolean("redirect_uri_given"), ScopeCatalog.parse(rs.getString("scopes")),
            rs.getString("state"), rs.getString("code_challenge"), rs.getBoolean("force_consent"),
            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at"))))
        .findOne());
  }

  @Override
  public boolean consume(String id) {
    return db.withHandle(h -> h.createUpdate(DELETE).bind("id", id).execute()) == 1;
  }
}
