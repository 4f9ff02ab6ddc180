package com.monei.connect.server.storage;

import com.monei.connect.server.account.User;
import com.monei.connect.server.account.UserStore;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbcUserStore implements UserStore {
  private static final String COLUMNS = "id, email, name, password_hash";
  private static final String FIND_BY_EMAIL = "SELECT " + COLUMNS + " FROM users WHERE email = :email";
  private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = :id";
  private static final String INSERT = """
      INSERT INTO users (id, email, name, password_hash, created_at)
      VALUES (:id, :email, :name, :hash, :now) ON CONFLICT (email) DO NOTHING""";
  private static final String SET_PASSWORD = "UPDATE users SET password_hash = :hash WHERE id = :id";

  private static final RowMapper<User> ROW = (rs, ctx) ->
      new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getString("password_hash"));

  private final Database db;

  public JdbcUserStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<User> findByEmail(String email) {
    return db.withHandle(h -> h.createQuery(FIND_BY_EMAIL).bind("email", email).map(ROW).findOne());
  }

  @Override
  public Optional<User> findById(String id) {
    return db.withHandle(h -> h.createQuery(FIND_BY_ID).bind("id", id).map(ROW).findOne());
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
