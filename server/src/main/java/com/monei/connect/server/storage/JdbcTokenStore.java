package com.monei.connect.server.storage;

import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.AccessGrant;
import com.monei.connect.server.token.RefreshToken;
import com.monei.connect.server.token.TokenRecord;
import com.monei.connect.server.token.TokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public final class JdbcTokenStore implements TokenStore {
  private static final String INSERT_FAMILY = """
      INSERT INTO token_families (id, client_id, user_id, created_at, last_used_at)
      VALUES (?, ?, ?, ?, ?)""";
  private static final String INSERT_ACCESS = """
      INSERT INTO access_tokens (token_hash, family_id, client_id, user_id, scopes, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";
  private static final String INSERT_REFRESH = """
      INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scopes, generation, created_at,
        expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String FIND_ACTIVE_ACCESS = """
      SELECT t.family_id, t.client_id, t.user_id, t.scopes, t.created_at, t.expires_at, f.last_used_at
      FROM access_tokens t JOIN token_families f ON f.id = t.family_id
      WHERE t.token_hash = ? AND t.expires_at > ? AND f.revoked_at IS NULL""";
  private static final String FIND_ACCESS_ANY = """
      SELECT t.family_id, t.client_id, t.user_id, t.scopes, t.created_at, t.expires_at, f.revoked_at
      FROM access_tokens t JOIN token_families f ON f.id = t.family_id WHERE t.token_hash = :hash""";
  private static final String FIND_REFRESH = """
      SELECT r.token_hash, r.family_id, r.client_id, r.user_id, r.scopes, r.generation, r.created_at, r.expires_at,
        r.used_at, r.successor_hash, r.rotation_params_hash, f.revoked_at
      FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id WHERE r.token_hash = ?""";
  private static final String MARK_REFRESH_USED = """
      UPDATE refresh_tokens SET used_at = ?, successor_hash = ?, rotation_params_hash = ?
      WHERE token_hash = ? AND used_at IS NULL""";
  private static final String TOUCH_FAMILY = """
      UPDATE token_families SET last_used_at = ?
      WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)""";
  private static final String REVOKE_FAMILY =
      "UPDATE token_families SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";
  private static final String DELETE_FAMILY_ACCESS = "DELETE FROM access_tokens WHERE family_id = :id";
  private static final String LIVE_FAMILIES_OF_APP_USER =
      "SELECT id FROM token_families WHERE client_id = :clientId AND user_id = :userId AND revoked_at IS NULL";
  private static final String LIVE_FAMILIES_OF_USER =
      "SELECT id FROM token_families WHERE user_id = :userId AND revoked_at IS NULL";
  private static final String LIVE_FAMILIES_OF_APP =
      "SELECT id FROM token_families WHERE client_id = :clientId AND revoked_at IS NULL";
  private static final String LIVE_FAMILY = """
      SELECT f.id FROM token_families f
      WHERE f.client_id = :clientId AND f.user_id = :userId AND f.revoked_at IS NULL
        AND EXISTS (SELECT 1 FROM refresh_tokens r
                    WHERE r.family_id = f.id AND r.used_at IS NULL AND r.expires_at > :now)""";
  private static final String DELETE_ACCESS = "DELETE FROM access_tokens WHERE token_hash = :hash";
  private static final String LAST_USE = """
      SELECT client_id, MAX(last_used_at) AS last_used_at FROM token_families
      WHERE user_id = :userId GROUP BY client_id""";

  private static final long TOUCH_INTERVAL_MILLIS = TokenStore.TOUCH_INTERVAL.toMillis();

  private final Database db;

  public JdbcTokenStore(Database db) {
    this.db = db;
  }

  @Override
  public void createFamily(String familyId, String clientId, String userId, Instant now) {
    db.update(INSERT_FAMILY, familyId, clientId, userId, now.toEpochMilli(), now.toEpochMilli());
  }

  @Override
  public void saveAccessToken(String tokenHash, String familyId, String clientId, String userId, Set<String> scopes,
      Instant now, Instant expiresAt) {
    db.update(INSERT_ACCESS, tokenHash, familyId, clientId, userId, ScopeCatalog.format(scopes), now.toEpochMilli(),
        expiresAt.toEpochMilli());
  }

  @Override
  public void saveRefreshToken(String tokenHash, String familyId, String clientId, String userId, Set<String> scopes,
      int generation, Instant now, Instant expiresAt) {
    db.update(INSERT_REFRESH, tokenHash, familyId, clientId, userId, ScopeCatalog.format(scopes), generation,
        now.toEpochMilli(), expiresAt.toEpochMilli());
  }

  @Override
  public Optional<AccessGrant> findActiveAccessToken(String tokenHash, Instant now) {
    // Every API call starts here, so it is plain JDBC on a cached statement.
    return db.read(FIND_ACTIVE_ACCESS, rs -> {
      if (!rs.next()) return Optional.<AccessGrant>empty();
      long lastUsed = rs.getLong(7);
      Instant lastUsedAt = rs.wasNull() ? null : Instant.ofEpochMilli(lastUsed);
      return Optional.of(new AccessGrant(rs.getString(1), rs.getString(2), rs.getString(3),
          ScopeCatalog.parse(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)),
          lastUsedAt));
    }, tokenHash, now.toEpochMilli());
  }

  @Override
  public Optional<TokenRecord> findAny(String tokenHash) {
    return db.withHandle(h -> {
      Optional<TokenRecord> access = h.createQuery(FIND_ACCESS_ANY).bind("hash", tokenHash)
          .map((rs, ctx) -> {
            rs.getLong("revoked_at");
            boolean revoked = !rs.wasNull();
            return new TokenRecord("access_token", rs.getString("family_id"), rs.getString("client_id"),
                rs.getString("user_id"), ScopeCatalog.parse(rs.getString("scopes")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at")),
                revoked);
          }).findOne();
      if (access.isPresent()) return access;
      return findRefreshToken(tokenHash).map(r -> new TokenRecord("refresh_token", r.familyId(), r.clientId(),
          r.userId(), r.scopes(), r.createdAt(), r.expiresAt(), r.familyRevoked() || r.usedAt() != null));
    });
  }

  @Override
  public Optional<RefreshToken> findRefreshToken(String tokenHash) {
    return db.read(FIND_REFRESH, rs -> {
      if (!rs.next()) return Optional.<RefreshToken>empty();
      long used = rs.getLong(9);
      Instant usedAt = rs.wasNull() ? null : Instant.ofEpochMilli(used);
      rs.getLong(12);
      boolean revoked = !rs.wasNull();
      return Optional.of(new RefreshToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
          ScopeCatalog.parse(rs.getString(5)), rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)),
          Instant.ofEpochMilli(rs.getLong(8)), usedAt, rs.getString(10), rs.getString(11), revoked));
    }, tokenHash);
  }

  @Override
  public boolean markRefreshUsed(String tokenHash, String successorHash, String paramsHash, Instant now) {
    return db.update(MARK_REFRESH_USED, now.toEpochMilli(), successorHash, paramsHash, tokenHash) == 1;
  }

  @Override
  public void touchFamily(String familyId, Instant now) {
    db.update(TOUCH_FAMILY, now.toEpochMilli(), familyId, now.toEpochMilli() - TOUCH_INTERVAL_MILLIS);
  }

  @Override
  public void revokeFamily(String familyId, Instant now) {
    db.inTransaction(() -> db.withHandle(h -> {
      h.createUpdate(REVOKE_FAMILY).bind("id", familyId).bind("now", now.toEpochMilli()).execute();
      return h.createUpdate(DELETE_FAMILY_ACCESS).bind("id", familyId).execute();
    }));
  }

  @Override
  public int revokeFamilies(String clientId, String userId, Instant now) {
    return revokeAll(LIVE_FAMILIES_OF_APP_USER, "clientId", clientId, "userId", userId, now);
  }

  @Override
  public int revokeAllFamiliesOfUser(String userId, Instant now) {
    return revokeAll(LIVE_FAMILIES_OF_USER, "userId", userId, "userId", userId, now);
  }

  @Override
  public int revokeAllFamiliesOfApp(String clientId, Instant now) {
    return revokeAll(LIVE_FAMILIES_OF_APP, "clientId", clientId, "clientId", clientId, now);
  }

  private int revokeAll(String select, String k1, String v1, String k2, String v2, Instant now) {
    return db.inTransaction(() -> {
      List<String> ids = db.withHandle(h -> h.createQuery(select).bind(k1, v1).bind(k2, v2)
          .mapTo(String.class).list());
      for (String id : ids) revokeFamily(id, now);
      return ids.size();
    });
  }

  @Override
  public boolean hasLiveFamily(String clientId, String userId, Instant now) {
    return db.withHandle(h -> h.createQuery(LIVE_FAMILY).bind("clientId", clientId).bind("userId", userId)
        .bind("now", now.toEpochMilli()).mapTo(String.class).findFirst().isPresent());
  }

  @Override
  public void deleteAccessToken(String tokenHash) {
    db.inTransaction(() -> db.withHandle(h -> h.createUpdate(DELETE_ACCESS).bind("hash", tokenHash).execute()));
  }

  @Override
  public List<FamilyUse> lastUse(String userId) {
    return db.withHandle(h -> h.createQuery(LAST_USE).bind("userId", userId).map((rs, ctx) -> {
      long at = rs.getLong("last_used_at");
      return new FamilyUse(rs.getString("client_id"), rs.wasNull() ? null : Instant.ofEpochMilli(at));
    }).list());
  }
}
