package com.monei.connect.server.storage;

import com.monei.connect.server.account.User;
import com.monei.connect.server.account.UserStore;
import java.time.Instant;
import java.util.Optional;

public final class JdbcUserStore implements UserStore {
  private static final String COLUMNS = "id, email, name, password_hash";
  private static final String FIND_BY_EMAIL = "SELECT " + COLUMNS + " FROM users WHERE email = ?";
  private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = ?";
  private static final String INSERT = """
      INSERT INTO users (id, email, name, password_hash, created_at)
      VALUES (:id, :email, :name, :hash, :now) ON CONFLICT (email) DO NOTHING""";
  private static final String SET_PASSWORD = "UPDATE users SET password_hash = :hash WHERE id = :id";

  private static final Database.Rows<Optional<User>> ONE = rs -> rs.next()
      ? Optional.of(new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
      : Optional.empty();

  private final Database db;

  public JdbcUserStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<User> findByEmail(String email) {
    return db.read(FIND_BY_EMAIL, ONE, email);
  }

  @Override
  public Optional<User> findById(String id) {
    return db.read(FIND_BY_ID, ONE, id);
  }

  @Override
  public boolean create(User user, Instant now) {
    return db.inTransaction(() -> db.withHandle(h -> h.createUpdate(INSERT)
        .bind("id", user.id()).bind("email", user.email()).bind("name", user.name())
        .bind("hash", user.passwordHash()).bind("now", now.toEpochMilli()).execute()) == 1);
  }

  @Override
  public void setPasswordHash(String userId, String passwordHash) {
    db.inTransaction(() -> db.withHandle(h -> h.createUpdate(SET_PASSWORD)
        .bind("id", userId).bind("hash", passwordHash).execute()));
  }
}
