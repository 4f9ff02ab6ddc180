package com.monei.connect.server.storage;

import com.monei.connect.server.account.Passkey;
import com.monei.connect.server.account.PasskeyStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbcPasskeyStore implements PasskeyStore {
  private static final String COLUMNS = "id, user_id, credential_id, user_handle, public_key, aaguid, sign_count,"
      + " uv_initialized, backup_eligible, backup_state, name, created_at, last_used_at";
  private static final String INSERT = "INSERT INTO passkeys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
      + " ?, ?, ?)";
  private static final String EXISTS = "SELECT 1 AS found FROM passkeys WHERE credential_id = ?";
  private static final String FIND = "SELECT " + COLUMNS + " FROM passkeys WHERE credential_id = ?";
  private static final String LIST = "SELECT " + COLUMNS + " FROM passkeys WHERE user_id = ? ORDER BY created_at, id";
  private static final String RENAME = "UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ?";
  private static final String DELETE = "DELETE FROM passkeys WHERE id = ? AND user_id = ?";
  private static final String DELETE_ALL = "DELETE FROM passkeys WHERE user_id = ?";
  private static final String USE = """
      UPDATE passkeys SET sign_count = ?, last_used_at = ?
      WHERE id = ? AND (sign_count < ? OR (sign_count = 0 AND ? = 0))""";
  private static final String SAVE_CHALLENGE = """
      INSERT INTO webauthn_challenges (challenge_hash, session_hash, purpose, user_id, expires_at)
      VALUES (?, ?, ?, ?, ?)""";
  private static final String FIND_CHALLENGE = """
      SELECT user_id FROM webauthn_challenges
      WHERE challenge_hash = ? AND session_hash = ? AND purpose = ? AND expires_at > ?""";
  private static final String DELETE_CHALLENGE = "DELETE FROM webauthn_challenges WHERE challenge_hash = ?";

  private final Database db;

  public JdbcPasskeyStore(Database db) {
    this.db = db;
  }

  @Override
  public boolean insert(Passkey p) {
    return db.inTransaction(() -> {
      if (db.findOne(EXISTS, row -> row.getInt("found"), p.credentialId()).isPresent()) return false;
      db.update(INSERT, p.id(), p.userId(), p.credentialId(), p.userHandle(), p.publicKey(), p.aaguid(),
          p.signCount(), p.uvInitialized(), p.backupEligible(), p.backupState(), p.name(),
          p.createdAt().toEpochMilli(), p.lastUsedAt() == null ? null : p.lastUsedAt().toEpochMilli());
      return true;
    });
  }

  @Override
  public Optional<Passkey> findByCredentialId(String credentialId) {
    return db.findOne(FIND, JdbcPasskeyStore::passkey, credentialId);
  }

  @Override
  public List<Passkey> listOf(String userId) {
    return db.list(LIST, JdbcPasskeyStore::passkey, userId);
  }

  @Override
  public boolean rename(String id, String userId, String name) {
    return db.update(RENAME, name, id, userId) == 1;
  }

  @Override
  public boolean delete(String id, String userId) {
    return db.update(DELETE, id, userId) == 1;
  }

  @Override
  public int deleteAllOf(String userId) {
    return db.update(DELETE_ALL, userId);
  }

  @Override
  public boolean recordUse(String id, long signCount, Instant at) {
    return db.update(USE, signCount, at.toEpochMilli(), id, signCount, signCount) == 1;
  }

  @Override
  public void saveChallenge(String challengeHash, String sessionHash, String purpose, String userId,
      Instant expiresAt) {
    db.update(SAVE_CHALLENGE, challengeHash, sessionHash, purpose, userId, expiresAt.toEpochMilli());
  }

  @Override
  public Optional<String> consumeChallenge(String challengeHash, String sessionHash, String purpose, Instant now) {
    // Whoever deletes the row has used the challenge; a concurrent user of it deletes nothing.
    return db.inRowLockingTransaction(() -> {
      Optional<String> userId = db.findOne(FIND_CHALLENGE, row -> {
        String id = row.getString("user_id");
        return id == null ? "" : id;
      }, challengeHash, sessionHash, purpose, now.toEpochMilli());
      if (userId.isEmpty() || db.update(DELETE_CHALLENGE, challengeHash) != 1) return Optional.<String>empty();
      return userId;
    });
  }

  private static Passkey passkey(ResultRow row) throws SQLException {
    long lastUsed = row.getLong("last_used_at");
    Instant lastUsedAt = row.wasNull() ? null : Instant.ofEpochMilli(lastUsed);
    return new Passkey(row.getString("id"), row.getString("user_id"), row.getString("credential_id"),
        row.getString("user_handle"), row.getString("public_key"), row.getString("aaguid"), row.getLong("sign_count"),
        row.getBoolean("uv_initialized"), row.getBoolean("backup_eligible"), row.getBoolean("backup_state"),
        row.getString("name"), Instant.ofEpochMilli(row.getLong("created_at")), lastUsedAt);
  }
}
