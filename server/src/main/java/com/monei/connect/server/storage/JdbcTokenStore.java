package com.monei.connect.server.storage;

import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.AccessGrant;
import com.monei.connect.server.token.RefreshToken;
import com.monei.connect.server.token.TokenRecord;
import com.monei.connect.server.token.TokenStore;
import java.sql.SQLException;
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
      FROM access_tokens t JOIN token_families f ON f.id = t.family_id WHERE t.token_hash = ?""";
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
      "UPDATE token_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
  private static final String DELETE_FAMILY_ACCESS = "DELETE FROM access_tokens WHERE family_id = ?";
  private static final String LIVE_FAMILIES_OF_APP_USER =
      "SELECT id FROM token_families WHERE client_id = ? AND user_id = ? AND revoked_at IS NULL";
  private static final String LIVE_FAMILIES_OF_USER =
      "SELECT id FROM token_families WHERE user_id = ? AND revoked_at IS NULL";
  private static final String LIVE_FAMILIES_OF_APP =
      "SELECT id FROM token_families WHERE client_id = ? AND revoked_at IS NULL";
  private static final String LIVE_FAMILY = """
      SELECT f.id FROM token_families f
      WHERE f.client_id = ? AND f.user_id = ? AND f.revoked_at IS NULL
        AND EXISTS (SELECT 1 FROM refresh_tokens r
                    WHERE r.family_id = f.id AND r.used_at IS NULL AND r.expires_at > ?)""";
  private static final String DELETE_ACCESS = "DELETE FROM access_tokens WHERE token_hash = ?";
  private static final String LAST_USE = """
      SELECT client_id, MAX(last_used_at) AS last_used_at FROM token_families
      WHERE user_id = ? GROUP BY client_id""";

  private static AccessGrant accessGrant(ResultRow row) throws SQLException {
    long lastUsed = row.getLong("last_used_at");
    Instant lastUsedAt = row.wasNull() ? null : Instant.ofEpochMilli(lastUsed);
    return new AccessGrant(row.getString("family_id"), row.getString("client_id"), row.getString("user_id"),
        ScopeCatalog.parse(row.getString("scopes")), Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("expires_at")), lastUsedAt);
  }

  private static TokenRecord accessRecord(ResultRow row) throws SQLException {
    row.getLong("revoked_at");
    boolean revoked = !row.wasNull();
    return new TokenRecord("access_token", row.getString("family_id"), row.getString("client_id"),
        row.getString("user_id"), ScopeCatalog.parse(row.getString("scopes")),
        Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("expires_at")), revoked);
  }

  private static RefreshToken refreshToken(ResultRow row) throws SQLException {
    long used = row.getLong("used_at");
    Instant usedAt = row.wasNull() ? null : Instant.ofEpochMilli(used);
    row.getLong("revoked_at");
    boolean revoked = !row.wasNull();
    return new RefreshToken(row.getString("token_hash"), row.getString("family_id"), row.getString("client_id"),
        row.getString("user_id"), ScopeCatalog.parse(row.getString("scopes")), row.getInt("generation"),
        Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("expires_at")), usedAt,
        row.getString("successor_hash"), row.getString("rotation_params_hash"), revoked);
  }

  private static FamilyUse familyUse(ResultRow row) throws SQLException {
    long at = row.getLong("last_used_at");
    return new FamilyUse(row.getString("client_id"), row.wasNull() ? null : Instant.ofEpochMilli(at));
  }

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
    return db.findOne(FIND_ACTIVE_ACCESS, JdbcTokenStore::accessGrant, tokenHash, now.toEpochMilli());
  }

  @Override
  public Optional<TokenRecord> findAny(String tokenHash) {
    Optional<TokenRecord> access = db.findOne(FIND_ACCESS_ANY, JdbcTokenStore::accessRecord, tokenHash);
    if (access.isPresent()) return access;
    return findRefreshToken(tokenHash).map(r -> new TokenRecord("refresh_token", r.familyId(), r.clientId(),
        r.userId(), r.scopes(), r.createdAt(), r.expiresAt(), r.familyRevoked() || r.usedAt() != null));
  }

  @Override
  public Optional<RefreshToken> findRefreshToken(String tokenHash) {
    return db.findOne(FIND_REFRESH, JdbcTokenStore::refreshToken, tokenHash);
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
    db.inTransaction(() -> {
      db.update(REVOKE_FAMILY, now.toEpochMilli(), familyId);
      db.update(DELETE_FAMILY_ACCESS, familyId);
    });
  }

  @Override
  public int revokeFamilies(String clientId, String userId, Instant now) {
    return revokeAll(LIVE_FAMILIES_OF_APP_USER, now, clientId, userId);
  }

  @Override
  public int revokeAllFamiliesOfUser(String userId, Instant now) {
    return revokeAll(LIVE_FAMILIES_OF_USER, now, userId);
  }

  @Override
  public int revokeAllFamiliesOfApp(String clientId, Instant now) {
    return revokeAll(LIVE_FAMILIES_OF_APP, now, clientId);
  }

  private int revokeAll(String liveFamilies, Instant now, Object... params) {
    return db.inTransaction(() -> {
      List<String> ids = db.list(liveFamilies, row -> row.getString("id"), params);
      for (String id : ids) revokeFamily(id, now);
      return ids.size();
    });
  }

  @Override
  public boolean hasLiveFamily(String clientId, String userId, Instant now) {
    return db.findOne(LIVE_FAMILY, row -> row.getString("id"), clientId, userId, now.toEpochMilli()).isPresent();
  }

  @Override
  public void deleteAccessToken(String tokenHash) {
    db.update(DELETE_ACCESS, tokenHash);
  }

  @Override
  public List<FamilyUse> lastUse(String userId) {
    return db.list(LAST_USE, JdbcTokenStore::familyUse, userId);
  }
}
