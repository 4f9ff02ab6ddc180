package com.monei.connect.server.storage;

import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.AccessGrant;
import com.monei.connect.server.token.TokenStore;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

public final class JdbcTokenStore implements TokenStore {
  private static final String INSERT_FAMILY = """
      INSERT INTO token_families (id, client_id, user_id, created_at) VALUES (:id, :clientId, :userId, :now)""";
  private static final String INSERT_ACCESS = """
      INSERT INTO access_tokens (token_hash, family_id, client_id, user_id, scopes, created_at, expires_at)
      VALUES (:hash, :familyId, :clientId, :userId, :scopes, :now, :expiresAt)""";
  private static final String INSERT_REFRESH = """
      INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scopes, generation, created_at,
        expires_at)
      VALUES (:hash, :familyId, :clientId, :userId, :scopes, :generation, :now, :expiresAt)""";
  private static final String FIND_ACTIVE_ACCESS = """
      SELECT t.family_id, t.client_id, t.user_id, t.scopes, t.created_at, t.expires_at
      FROM access_tokens t JOIN token_families f ON f.id = t.family_id
      WHERE t.token_hash = :hash AND t.expires_at > :now AND f.revoked_at IS NULL""";
  private static final String REVOKE_FAMILY =
      "UPDATE token_families SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";
  private static final String DELETE_FAMILY_ACCESS = "DELETE FROM access_tokens WHERE family_id = :id";

  private final Database db;

  public JdbcTokenStore(Database db) {
    this.db = db;
  }

  @Override
  public void createFamily(String familyId, String clientId, String userId, Instant now) {
    db.withHandle(h -> h.createUpdate(INSERT_FAMILY).bind("id", familyId).bind("clientId", clientId)
        .bind("userId", userId).bind("now", now.toEpochMilli()).execute());
  }

  @Override
  public void saveAccessToken(String tokenHash, String familyId, String clientId, String userId, Set<String> scopes,
      Instant now, Instant expiresAt) {
    db.withHandle(h -> h.createUpdate(INSERT_ACCESS).bind("hash", tokenHash).bind("familyId", familyId)
        .bind("clientId", clientId).bind("userId", userId).bind("scopes", ScopeCatalog.format(scopes))
        .bind("now", now.toEpochMilli()).bind("expiresAt", expiresAt.toEpochMilli()).execute());
  }

  @Override
  public void saveRefreshToken(String tokenHash, String familyId, String clientId, String userId, Set<String> scopes,
      int generation, Instant now, Instant expiresAt) {
    db.withHandle(h -> h.createUpdate(INSERT_REFRESH).bind("hash", tokenHash).bind("familyId", familyId)
        .bind("clientId", clientId).bind("userId", userId).bind("scopes", ScopeCatalog.format(scopes))
        .bind("generation", generation).bind("now", now.toEpochMilli())
        .bind("expiresAt", expiresAt.toEpochMilli()).execute());
  }

  @Override
  public Optional<AccessGrant> findActiveAccessToken(String tokenHash, Instant now) {
    return db.withHandle(h -> h.createQuery(FIND_ACTIVE_ACCESS).bind("hash", tokenHash)
        .bind("now", now.toEpochMilli())
        .map((rs, ctx) -> new AccessGrant(rs.getString("family_id"), rs.getString("client_id"),
            rs.getString("user_id"), ScopeCatalog.parse(rs.getString("scopes")),
            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at"))))
        .findOne());
  }

  @Override
  public void revokeFamily(String familyId, Instant now) {
    db.inTransaction(() -> db.withHandle(h -> {
      h.createUpdate(REVOKE_FAMILY).bind("id", familyId).bind("now", now.toEpochMilli()).execute();
      return h.createUpdate(DELETE_FAMILY_ACCESS).bind("id", familyId).execute();
    }));
  }
}
