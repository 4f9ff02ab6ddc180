package com.monei.connect.server.account;

import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.transaction.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The sign-in limits of SPEC 1.2: per account, at most {@code maxFailures} failures in a rolling
 * window of 15 minutes, and ten times that per client IP (per /64 for IPv6, the block one subscriber
 * is usually given, so cycling through it buys nothing). An attempt counts as a failure from the
 * moment it {@link #begin begins}, before its password (or second-step code) is checked, and is
 * taken back only when that check {@link #succeeded succeeds}: so parallel guesses cannot all slip
 * in below the limit before any of them is recorded.
 */
public final class LoginAttempts {
  public static final Duration WINDOW = Duration.ofMinutes(15);
  /** Many accounts share an address behind NAT, so the per-IP limit is ten times the per-account one. */
  public static final int IP_FACTOR = 10;

  private final LoginFailureStore failures;
  private final Transactions tx;
  private final Clock clock;
  private final int maxFailures;

  public LoginAttempts(LoginFailureStore failures, Transactions tx, Clock clock, int maxFailures) {
    this.failures = failures;
    this.tx = tx;
    this.clock = clock;
    this.maxFailures = maxFailures;
  }

  /** An attempt as counted: refused at once when throttled, otherwise a failure until it succeeds. */
  public static final class Attempt {
    private final boolean throttled;
    private final List<String> failureIds;

    private Attempt(boolean throttled, List<String> failureIds) {
      this.throttled = throttled;
      this.failureIds = failureIds;
    }

    /** True when a limit was already reached: the secret must not be checked at all. */
    public boolean throttled() {
      return throttled;
    }
  }

  /**
   * Counts an attempt on the account of {@code normalizedEmail} (known or not) from {@code ip}, in a
   * transaction of its own that commits before the caller checks the secret. Both subjects are
   * locked first, so attempts on either are counted one at a time, across processes too.
   */
  public Attempt begin(String normalizedEmail, String ip) {
    String account = "account:" + Hashes.sha256(normalizedEmail);
    String address = ipSubject(ip);
    Instant now = clock.instant();
    Instant since = now.minus(WINDOW);
    // Always the same order (account: sorts before ip:), so two attempts never wait on each other.
    return tx.inRowLockingTransaction(() -> {
      failures.lock(account, now);
      failures.lock(address, now);
      if (failures.countSince(account, since) >= maxFailures
          || failures.countSince(address, since) >= maxFailures * IP_FACTOR) {
        return new Attempt(true, List.of());
      }
      List<String> ids = List.of(Ids.next("lf_"), Ids.next("lf_"));
      failures.record(ids.get(0), account, now);
      failures.record(ids.get(1), address, now);
      return new Attempt(false, ids);
    });
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
