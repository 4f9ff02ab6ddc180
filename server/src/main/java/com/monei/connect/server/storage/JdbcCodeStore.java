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
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String FIND = """
      SELECT code_hash, client_id, user_id, redirect_uri, redirect_uri_given, scopes, code_challenge, created_at,
        expires_at, used_at, family_id
      FROM authorization_codes WHERE code_hash = ?""";
  private static final String MARK_USED =
      "UPDATE authorization_codes SET used_at = ?, family_id = ? WHERE code_hash = ? AND used_at IS NULL";

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
    db.update(INSERT, c.codeHash(), c.clientId(), c.userId(), c.redirectUri(), c.redirectUriGiven(),
        ScopeCatalog.format(c.scopes()), c.codeChallenge(), c.createdAt().toEpochMilli(),
        c.expiresAt().toEpochMilli());
  }

  @Override
  public Optional<AuthorizationCode> find(String codeHash) {
    return db.read(FIND, rs -> {
      if (!rs.next()) return Optional.<AuthorizationCode>empty();
      long used = rs.getLong(10);
      Instant usedAt = rs.wasNull() ? null : Instant.ofEpochMilli(used);
      return Optional.of(new AuthorizationCode(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
          rs.getBoolean(5), ScopeCatalog.parse(rs.getString(6)), rs.getString(7),
          Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)), usedAt, rs.getString(11)));
    }, codeHash);
  }

  @Override
  public boolean markUsed(String codeHash, String familyId, Instant now) {
    return db.update(MARK_USED, now.toEpochMilli(), familyId, codeHash) == 1;
  }

  @Override
  public int discardUnused(String clientId, String userId) {
    return db.inTransaction(() -> db.withHandle(h -> clientId == null
        ? h.createUpdate(DISCARD_UNUSED_OF_USER).bind("userId", userId).execute()
        : h.createUpdate(DISCARD_UNUSED_OF_APP).bind("clientId", clientId).bind("userId", userId).execute()));
  }
}
