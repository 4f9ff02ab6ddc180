package com.monei.connect.server.account;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import com.monei.connect.server.transaction.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The second step of a sign-in (SPEC 7): after a right password, a user with two-step verification
 * waits here, server-side and in the database (any process may serve the next request), under a
 * random id the browser keeps, until a right code signs the session in or {@link #LIFETIME} passes.
 * Each code tried counts against the sign-in limits of {@link LoginAttempts}, like a password.
 */
public final class LoginVerifications {
  public static final Duration LIFETIME = Duration.ofMinutes(5);
  private static final int ID_LENGTH = TokenFormat.RANDOM_LENGTH;

  private final LoginVerificationStore store;
  private final SecondFactor secondFactor;
  private final UserStore users;
  private final LoginAttempts attempts;
  private final AuditLog audit;
  private final Transactions tx;
  private final Clock clock;

  public LoginVerifications(LoginVerificationStore store, SecondFactor secondFactor, UserStore users,
      LoginAttempts attempts, AuditLog audit, Transactions tx, Clock clock) {
    this.store = store;
    this.secondFactor = secondFactor;
    this.users = users;
    this.attempts = attempts;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
  }

  /** A sign-in waiting for its code, as the page needs it. */
  public record Waiting(String userId, String returnTo) {}

  /** The outcome of a code. */
  public sealed interface Outcome {
    /** Signed in; the browser goes on to {@code returnTo}. */
    record Ok(String returnTo) implements Outcome {}
    record Wrong() implements Outcome {}
    record Throttled() implements Outcome {}
    /** No such waiting sign-in, or it expired (or finished): the user signs in again. */
    record Gone(String returnTo) implements Outcome {}
  }

  /** Records a sign-in of {@code userId} waiting for its second step; returns the id for the browser. */
  public String start(String userId, String returnTo) {
    String id = TokenFormat.randomBase62(ID_LENGTH);
    store.save(Hashes.sha256(id), userId, returnTo, clock.instant().plus(LIFETIME));
    return id;
  }

  /** The waiting sign-in {@code id}, while it has not expired. */
  public Optional<Waiting> find(String id) {
    return stored(id).filter(w -> clock.instant().isBefore(w.expiresAt()))
        .map(w -> new Waiting(w.userId(), w.returnTo()));
  }

  /** Where an expired or finished sign-in was going, so signing in again goes there too. */
  public Optional<String> returnToOf(String id) {
    return stored(id).map(LoginVerificationStore.Waiting::returnTo);
  }

  /**
   * Checks {@code code} for the waiting sign-in {@code id} from {@code ip}. The attempt is counted
   * before the code is checked; on success {@code establish} (storing the signed-in session) runs
   * in the transaction that ends the waiting sign-in, takes the attempt back and records the
   * sign-in, so a sign-in finishes once, with its audit event.
   */
  public Outcome complete(String id, String code, String ip, Consumer<String> establish) {
    Optional<LoginVerificationStore.Waiting> waiting = stored(id);
    if (waiting.isEmpty()) return new Outcome.Gone("/");
    String userId = waiting.get().userId();
    String returnTo = waiting.get().returnTo();
    if (!clock.instant().isBefore(waiting.get().expiresAt())) {
      store.delete(Hashes.sha256(id));
      return new Outcome.Gone(returnTo);
    }
    Optional<User> user = users.findById(userId);
    if (user.isEmpty()) return new Outcome.Gone(returnTo);
    try (LoginAttempts.Attempt attempt = attempts.begin(user.get().email(), ip)) {
      if (attempt.throttled()) {
        audit.record(AuditLog.LOGIN_THROTTLED, userId, null, ip, "second step");
        return new Outcome.Throttled();
      }
      if (!secondFactor.verify(userId, code)) {
        // The failure itself was recorded when the attempt began.
        audit.record(AuditLog.LOGIN_FAILED, userId, null, ip, "wrong second-step code");
        return new Outcome.Wrong();
      }
      boolean finished = tx.inTransaction(() -> {
        if (!store.delete(Hashes.sha256(id))) return false;
        attempts.succeeded(attempt);
        audit.record(AuditLog.LOGIN_OK, userId, null, ip, "with second step");
        establish.accept(userId);
        return true;
      });
      return finished ? new Outcome.Ok(returnTo) : new Outcome.Gone(returnTo);
    }
  }

  private Optional<LoginVerificationStore.Waiting> stored(String id) {
    if (id == null || id.length() != ID_LENGTH || !TokenFormat.isBase62(id)) return Optional.empty();
    return store.find(Hashes.sha256(id));
  }
}
