package com.monei.connect.server.storage;

import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.AuthorizationCode;
import com.monei.connect.server.token.CodeStore;
import java.time.Instant;
import java.util.Optional;

public final class JdbcCodeStore implements CodeStore {
  private static final String INSERT = """
      INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, redirect_uri_given, scopes,
        code_challenge, created_at, expires_at)
      VALUES (:codeHash, :clientId, :userId, :redirectUri, :redirectUriGiven, :scopes, :challenge, :createdAt,
        :expiresAt)""";
  private static final String FIND = """
      SELECT code_hash, client_id, user_id, redirect_uri, redirect_uri_given, scopes, code_challenge, created_at,
        expires_at, used_at, family_id
      FROM authorization_codes WHERE code_hash = :codeHash""";
  private static final String MARK_USED = """
      UPDATE authorization_codes SET used_at = :now, family_id = :familyId
      WHERE code_hash = :codeHash AND used_at IS NULL""";

  private static final String DISCARD_UNUSED_OF_APP =
      "DELETE FROM authorization_codes WHERE client_id = :clientId AND user_id = :userId AND used_at IS NULL";
  private static final String DISCARD_UNUSED_OF_USER =
      "DELETE FROM authorization_codes WHERE user_id = :userId AND used_at IS NULL";

  private final Database db;

  public JdbcCodeStore(Database db) {
    this.db = db;
  }

  @Override
  public void save(AuthorizationCode c) {
    db.inTransaction(() -> db.withHandle(h -> h.createUpdate(INSERT).bind("codeHash", c.codeHash())
        .bind("clientId", c.clientId()).bind("userId", c.userId()).bind("redirectUri", c.redirectUri())
        .bind("redirectUriGiven", c.redirectUriGiven()).bind("scopes", ScopeCatalog.format(c.scopes()))
        .bind("challenge", c.codeChallenge()).bind("createdAt", c.createdAt().toEpochMilli())
        .bind("expiresAt", c.expiresAt().toEpochMilli()).execute()));
  }

  @Override
  public Optional<AuthorizationCode> find(String codeHash) {
    return db.withHandle(h -> h.createQuery(FIND).bind("codeHash", codeHash).map((rs, ctx) -> {
      long used = rs.getLong("used_at");
      Instant usedAt = rs.wasNull() ? null : Instant.ofEpochMilli(used);
      return new AuthorizationCode(rs.getString("code_hash"), rs.getString("client_id"), rs.getString("user_id"),
          rs.getString("redirect_uri"), rs.getBoolean("redirect_uri_given"),
          ScopeCatalog.parse(rs.getString("scopes")), rs.getString("code_challenge"),
          Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at")), usedAt,
          rs.getString("family_id"));
    }).findOne());
  }

  @Override
  public boolean markUsed(String codeHash, String familyId, Instant now) {
    return db.withHandle(h -> h.createUpdate(MARK_USED).bind("codeHash", codeHash).bind("familyId", familyId)
        .bind("now", now.toEpochMilli()).execute()) == 1;
  }

  @Override
  public int discardUnused(String clientId, String userId) {
    return db.inTransaction(() -> db.withHandle(h -> clientId == null
        ? h.createUpdate(DISCARD_UNUSED_OF_USER).bind("userId", userId).execute()
        : h.createUpdate(DISCARD_UNUSED_OF_APP).bind("clientId", clientId).bind("userId", userId).execute()));
  }
}
