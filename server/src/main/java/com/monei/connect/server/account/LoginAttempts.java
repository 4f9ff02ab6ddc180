package com.monei.connect.server.account;

import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.transaction.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sign-in limits of SPEC 1.2: per account, at most {@code maxFailures} failures in a rolling
 * window of 15 minutes, and ten times that per client IP (per /64 for IPv6, the block one subscriber
 * is usually given, so cycling through it buys nothing). An attempt counts as a failure from the
 * moment it {@link #begin begins}, before its password (or second-step code) is checked, and is
 * taken back only when that check {@link #succeeded succeeds}: so parallel guesses cannot all slip
 * in below the limit before any of them is recorded. When the limit is reached only through attempts
 * of this process that are still being checked, a new attempt waits for them to settle instead of being
 * refused: a right password is not turned away because others were typed at the same moment, and the
 * count in the database still decides, so no more than the limit of guesses is ever checked.
 */
public final class LoginAttempts {
  public static final Duration WINDOW = Duration.ofMinutes(15);
  /** Many accounts share an address behind NAT, so the per-IP limit is ten times the per-account one. */
  public static final int IP_FACTOR = 10;
  /** How long an attempt waits for this process's checks in flight before it is refused. */
  static final Duration WAIT_FOR_CHECKS = Duration.ofSeconds(5);
  /** Checks in other processes settle unseen: look at the count again at least this often. */
  private static final long RECOUNT_MILLIS = 50;

  private final LoginFailureStore failures;
  private final Transactions tx;
  private final Clock clock;
  private final int maxFailures;
  /** Per subject, this process's attempts between begin and close. */
  private final ConcurrentHashMap<String, Integer> checking = new ConcurrentHashMap<>();
  private final Object settled = new Object();

  public LoginAttempts(LoginFailureStore failures, Transactions tx, Clock clock, int maxFailures) {
    this.failures = failures;
    this.tx = tx;
    this.clock = clock;
    this.maxFailures = maxFailures;
  }

  /**
   * An attempt as counted: refused when throttled, otherwise a failure until it succeeds. Close it
   * when its check is over, after the transaction of any success has committed.
   */
  public static final class Attempt implements AutoCloseable {
    private final LoginAttempts owner;
    private final List<String> subjects;
    private final List<String> failureIds;
    private boolean closed;

    private Attempt(LoginAttempts owner, List<String> subjects, List<String> failureIds) {
      this.owner = owner;
      this.subjects = subjects;
      this.failureIds = failureIds;
    }

    /** True when a limit was already reached: the secret must not be checked at all. */
    public boolean throttled() {
      return failureIds.isEmpty();
    }

    @Override
    public void close() {
      if (closed || throttled()) return;
      closed = true;
      owner.settle(subjects);
    }
  }

  /** The counts of a refused attempt, or the failure rows of a counted one. */
  private record Counted(List<String> failureIds, int accountFailures, int addressFailures) {}

  /**
   * Counts an attempt on the account of {@code normalizedEmail} (known or not) from {@code ip}, in a
   * transaction of its own that commits before the caller checks the secret. Both subjects are
   * locked first, so attempts on either are counted one at a time, across processes too.
   */
  public Attempt begin(String normalizedEmail, String ip) {
    String account = "account:" + Hashes.sha256(normalizedEmail);
    String address = ipSubject(ip);
    List<String> subjects = List.of(account, address);
    long deadline = System.nanoTime() + WAIT_FOR_CHECKS.toNanos();
    while (true) {
      Counted counted = count(account, address);
      if (!counted.failureIds().isEmpty()) {
        // Registered after the commit: the rows exist before anyone subtracts them as in flight.
        subjects.forEach(s -> checking.merge(s, 1, Integer::sum));
        return new Attempt(this, subjects, counted.failureIds());
      }
      synchronized (settled) {
        boolean onlyChecksInFlight = counted.accountFailures() - inFlight(account) < maxFailures
            && counted.addressFailures() - inFlight(address) < maxFailures * IP_FACTOR;
        long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (!onlyChecksInFlight || leftMillis <= 0) return new Attempt(this, subjects, List.of());
        try {
          settled.wait(Math.min(leftMillis, RECOUNT_MILLIS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Attempt(this, subjects, List.of());
        }
      }
    }
  }

  private Counted count(String account, String address) {
    Instant now = clock.instant();
    Instant since = now.minus(WINDOW);
    // Always the same order (account: sorts before ip:), so two attempts never wait on each other.
    return tx.inRowLockingTransaction(() -> {
      failures.lock(account, now);
      failures.lock(address, now);
      int accountFailures = failures.countSince(account, since);
      int addressFailures = failures.countSince(address, since);
      if (accountFailures >= maxFailures || addressFailures >= maxFailures * IP_FACTOR) {
        return new Counted(List.of(), accountFailures, addressFailures);
      }
      List<String> ids = List.of(Ids.next("lf_"), Ids.next("lf_"));
      failures.record(ids.get(0), account, now);
      failures.record(ids.get(1), address, now);
      return new Counted(ids, accountFailures, addressFailures);
    });
  }

  private int inFlight(String subject) {
    return checking.getOrDefault(subject, 0);
  }

  private void settle(List<String> subjects) {
    for (String s : subjects) {
      checking.computeIfPresent(s, (k, n) -> n > 1 ? n - 1 : null);
    }
    synchronized (settled) {
      settled.notifyAll();
    }
  }

  /**
   * The per-IP subject: an IPv6 address (as ClientAddress writes it, eight groups) stands for its
   * /64; anything else for itself.
   */
  static String ipSubject(String ip) {
    String[] groups = ip.split(":", -1);
    if (groups.length != 8) return "ip:" + ip;
    return "ip:" + String.join(":", groups[0], groups[1], groups[2], groups[3]) + "::/64";
  }

  /**
   * Takes back the failures {@code attempt} was counted as: its secret was right. Joins the
   * caller's transaction, so it commits with whatever the success establishes.
   */
  public void succeeded(Attempt attempt) {
    tx.inTransaction(() -> attempt.failureIds.forEach(failures::remove));
  }
}
