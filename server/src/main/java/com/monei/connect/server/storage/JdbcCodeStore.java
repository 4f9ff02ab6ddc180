package com.monei.connect.server.storage;

import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.AuthorizationCode;
import com.monei.connect.server.token.CodeStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class JdbcCodeStore implements CodeStore {
  private static final String INSERT = """
      INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, redirect_uri_given, scopes,
        code_challenge, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String FIND = """
      SELECT code_hash, client_id, user_id, redirect_uri, redirect_uri_given, scopes, code_challenge, created_at,
        expires_at, used_at, family_id
      FROM authorization_codes WHERE code_hash = ?""";
  private static final String MARK_USED =
      "UPDATE authorization_codes SET used_at = ?, family_id = ? WHERE code_hash = ? AND used_at IS NULL";

  private static final String DISCARD_UNUSED_OF_APP =
      "DELETE FROM authorization_codes WHERE client_id = ? AND user_id = ? AND used_at IS NULL";
  private static final String DISCARD_UNUSED_OF_USER =
      "DELETE FROM authorization_codes WHERE user_id = ? AND used_at IS NULL";

  private static AuthorizationCode code(ResultRow row) throws SQLException {
    long used = row.getLong("used_at");
    Instant usedAt = row.wasNull() ? null : Instant.ofEpochMilli(used);
    return new AuthorizationCode(row.getString("code_hash"), row.getString("client_id"), row.getString("user_id"),
        row.getString("redirect_uri"), row.getBoolean("redirect_uri_given"),
        ScopeCatalog.parse(row.getString("scopes")),
        row.getString("code_challenge"), Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("expires_at")), usedAt, row.getString("family_id"));
  }

  private final Database db;

  public JdbcCodeStore(Database db) {
    this.db = db;
  }

  @Override
  public void save(AuthorizationCode c) {
    db.update(INSERT, c.codeHash(), c.clientId(), c.userId(), c.redirectUri(), c.redirectUriGiven(),
        ScopeCatalog.format(c.scopes()), c.codeChallenge(), c.createdAt().toEpochMilli(),
        c.expiresAt().toEpochMilli());
  }

  @Override
  public Optional<AuthorizationCode> find(String codeHash) {
    return db.findOne(FIND, JdbcCodeStore::code, codeHash);
  }

  @Override
  public boolean markUsed(String codeHash, String familyId, Instant now) {
    return db.update(MARK_USED, now.toEpochMilli(), familyId, codeHash) == 1;
  }

  @Override
  public int discardUnused(String clientId, String userId) {
    return clientId == null
        ? db.update(DISCARD_UNUSED_OF_USER, userId)
        : db.update(DISCARD_UNUSED_OF_APP, clientId, userId);
  }
}
