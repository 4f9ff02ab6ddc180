package com.monei.connect.server.account;

import java.time.Instant;
import java.util.Optional;

/** Users by id and by (lower-cased) email. */
public interface UserStore {
  Optional<User> findByEmail(String email);

  Optional<User> findById(String id);

  /** Inserts the user; false when the email is already taken. */
  boolean create(User user, Instant now);

  void setPasswordHash(String userId, String passwordHash);
}
