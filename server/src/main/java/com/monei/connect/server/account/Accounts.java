package com.monei.connect.server.account;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** Creating users and signing them in, with throttling of repeated failures. */
public final class Accounts {
  private final UserStore users;
  private final LoginAttempts attempts;
  private final SecondFactor secondFactor;
  private final AuditLog audit;
  private final Transactions tx;
  private final Clock clock;

  public Accounts(UserStore users, LoginAttempts attempts, SecondFactor secondFactor, AuditLog audit,
      Transactions tx, Clock clock) {
    this.users = users;
    this.attempts = attempts;
    this.secondFactor = secondFactor;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
  }

  /** The outcome of a sign-in attempt. */
  public sealed interface SignIn {
    record Ok(User user) implements SignIn {}
    record Failed() implements SignIn {}
    record Throttled() implements SignIn {}
    /** The password was right, and the user has a second step to take before being signed in. */
    record SecondStepRequired(User user) implements SignIn {}
  }

  public static String normalizeEmail(String email) {
    return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
  }

  public User create(String email, String name, String password) {
    String normalized = normalizeEmail(email);
    if (!normalized.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))
      throw new ValidationException("That is not a valid email address.");
    String cleanName = name == null ? "" : name.strip();
    if (cleanName.isEmpty() || cleanName.length() > 100)
      throw new ValidationException("The name must be 1-100 characters.");
    PasswordHasher.validateNew(password);
    User user = new User(Ids.next("usr_"), normalized, cleanName, PasswordHasher.hash(password));
    // The hash is made before the transaction: it takes the time of a sign-in, and on SQLite every
    // write of the process waits for the transaction in progress.
    boolean created = tx.inTransaction(() -> {
      if (!users.create(user, clock.instant())) return false;
      audit.record(AuditLog.USER_CREATED, user.id(), null, null, null);
      return true;
    });
    if (!created) throw new ValidationException("A user with that email already exists.");
    return user;
  }

  public Optional<User> find(String userId) {
    return users.findById(userId);
  }

  public Optional<User> findByEmail(String email) {
    return users.findByEmail(normalizeEmail(email));
  }

  /**
   * Checks the password, subject to the limits of {@link LoginAttempts}: the attempt is counted
   * before the password is checked, and a throttled one never reaches Argon2. On success
   * {@code establish} (storing the new session) runs in the transaction that records the sign-in and
   * takes the attempt back: one commit, and never a session without its audit event. It may run on
   * the database's writer thread. A user with two-step verification is not signed in yet: the
   * result says so, and {@code establish} does not run.
   */
  public SignIn signIn(String email, String password, String ip, Consumer<User> establish) {
    String normalized = normalizeEmail(email);
    try (LoginAttempts.Attempt attempt = attempts.begin(normalized, ip)) {
      if (attempt.throttled()) {
        audit.record(AuditLog.LOGIN_THROTTLED, null, null, ip, null);
        return new SignIn.Throttled();
      }
      Optional<User> user = users.findByEmail(normalized);
      boolean ok;
      if (user.isPresent()) {
        ok = PasswordHasher.verify(password, user.get().passwordHash());
      } else {
        PasswordHasher.verifyDummy(password);
        ok = false;
      }
      if (!ok) {
        // The failure itself was recorded when the attempt began.
        audit.record(AuditLog.LOGIN_FAILED, user.map(User::id).orElse(null), null, ip, null);
        return new SignIn.Failed();
      }
      if (secondFactor.enabled(user.get().id())) {
        tx.inTransaction(() -> {
          attempts.succeeded(attempt);
          audit.record(AuditLog.LOGIN_SECOND_STEP, user.get().id(), null, ip, null);
          return null;
        });
        return new SignIn.SecondStepRequired(user.get());
      }
      tx.inTransaction(() -> {
        attempts.succeeded(attempt);
        audit.record(AuditLog.LOGIN_OK, user.get().id(), null, ip, null);
        establish.accept(user.get());
        return null;
      });
      return new SignIn.Ok(user.get());
    }
  }
}
