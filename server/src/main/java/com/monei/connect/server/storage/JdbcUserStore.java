package com.monei.connect.server.storage;

import com.monei.connect.server.account.User;
import com.monei.connect.server.account.UserStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class JdbcUserStore implements UserStore {
  private static final String COLUMNS = "id, email, name, password_hash";
  private static final String FIND_BY_EMAIL = "SELECT " + COLUMNS + " FROM users WHERE email = ?";
  private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = ?";
  private static final String INSERT = """
      INSERT INTO users (id, email, name, password_hash, created_at)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING""";
  private static final String SET_PASSWORD = "UPDATE users SET password_hash = ? WHERE id = ?";

  private static User user(ResultRow row) throws SQLException {
    return new User(row.getString("id"), row.getString("email"), row.getString("name"), row.getString("password_hash"));
  }

  private final Database db;

  public JdbcUserStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<User> findByEmail(String email) {
    return db.findOne(FIND_BY_EMAIL, JdbcUserStore::user, email);
  }

  @Override
  public Optional<User> findById(String id) {
    return db.findOne(FIND_BY_ID, JdbcUserStore::user, id);
  }

  @Override
  public boolean create(User user, Instant now) {
    return db.update(INSERT, user.id(), user.email(), user.name(), user.passwordHash(), now.toEpochMilli()) == 1;
  }

  @Override
  public void setPasswordHash(String userId, String passwordHash) {
    db.update(SET_PASSWORD, passwordHash, userId);
  }
}
