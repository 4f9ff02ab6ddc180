package com.monei.connect.server.storage;

import com.monei.connect.server.account.TotpStore;
import java.time.Instant;
import java.util.Optional;

public final class JdbcTotpStore implements TotpStore {
  private static final String FIND =
      "SELECT secret, confirmed_at, last_used_step FROM totp_secrets WHERE user_id = ?";
  // A confirmed secret is never replaced by a pending one: the conflict's WHERE leaves it be.
  private static final String SAVE_PENDING = """
      INSERT INTO totp_secrets (user_id, secret, created_at, confirmed_at, last_used_step)
      VALUES (?, ?, ?, NULL, 0)
      ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at
      WHERE totp_secrets.confirmed_at IS NULL""";
  private static final String CONFIRM = """
      UPDATE totp_secrets SET confirmed_at = ?, last_used_step = ?
      WHERE user_id = ? AND secret = ? AND confirmed_at IS NULL""";
  private static final String USE_STEP = """
      UPDATE totp_secrets SET last_used_step = ?
      WHERE user_id = ? AND confirmed_at IS NOT NULL AND last_used_step < ?""";
  private static final String DELETE = "DELETE FROM totp_secrets WHERE user_id = ?";

  private final Database db;

  public JdbcTotpStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Stored> find(String userId) {
    return db.findOne(FIND, row -> {
      String secret = row.getString("secret");
      row.getLong("confirmed_at");
      boolean confirmed = !row.wasNull();
      return new Stored(secret, confirmed, row.getLong("last_used_step"));
    }, userId);
  }

  @Override
  public boolean savePending(String userId, String sealedSecret, Instant now) {
    return db.update(SAVE_PENDING, userId, sealedSecret, now.toEpochMilli()) == 1;
  }

  @Override
  public boolean confirm(String userId, String sealedSecret, long step, Instant now) {
    return db.update(CONFIRM, now.toEpochMilli(), step, userId, sealedSecret) == 1;
  }

  @Override
  public boolean useStep(String userId, long step) {
    // One conditional write: the database decides which of two concurrent uses of a code wins.
    return db.update(USE_STEP, step, userId, step) == 1;
  }

  @Override
  public boolean delete(String userId) {
    return db.update(DELETE, userId) == 1;
  }
}
