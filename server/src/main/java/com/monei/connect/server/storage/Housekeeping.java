package com.monei.connect.server.storage;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges expired rows in small batches on a background thread, each batch its own short
 * transaction, so requests never wait behind a large delete. Used refresh tokens are kept until
 * they expire: reuse detection needs them.
 */
public final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  private static final int BATCH = 500;
  private static final int MAX_BATCHES_PER_TABLE = 40;
  /** Expired codes stay a day, so a late replay is still recognised as one. */
  private static final long CODE_GRACE_MILLIS = Duration.ofDays(1).toMillis();
  private static final long LOGIN_FAILURE_KEEP_MILLIS = Duration.ofHours(1).toMillis();
  /**
   * Send confirmations stay a week past their expiry: an app's late retry of a confirmed send still
   * completes, and one that comes later still is simply asked again (the audit trail keeps the answer).
   */
  private static final long CONFIRMATION_KEEP_MILLIS = Duration.ofDays(7).toMillis();
  /** An authenticator app set up but never confirmed: its secret is dropped after a day. */
  private static final long PENDING_TOTP_KEEP_MILLIS = Duration.ofDays(1).toMillis();

  // Portable batched deletes: a key subquery with LIMIT works on SQLite, PostgreSQL and CockroachDB.
  // Each takes two parameters: now (epoch millis) and the batch size.
  private static final List<String> PURGES = List.of(
      "DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions WHERE expires_at < ? LIMIT ?)",
      "DELETE FROM authorization_requests WHERE id IN "
          + "(SELECT id FROM authorization_requests WHERE expires_at < ? LIMIT ?)",
      "DELETE FROM authorization_codes WHERE code_hash IN "
          + "(SELECT code_hash FROM authorization_codes WHERE expires_at < ? - " + CODE_GRACE_MILLIS + " LIMIT ?)",
      "DELETE FROM access_tokens WHERE token_hash IN "
          + "(SELECT token_hash FROM access_tokens WHERE expires_at < ? LIMIT ?)",
      "DELETE FROM refresh_tokens WHERE token_hash IN "
          + "(SELECT token_hash FROM refresh_tokens WHERE expires_at < ? LIMIT ?)",
      "DELETE FROM app_secrets WHERE secret_hash IN "
          + "(SELECT secret_hash FROM app_secrets WHERE expires_at IS NOT NULL AND expires_at < ? LIMIT ?)",
      "DELETE FROM secret_reveals WHERE id_hash IN "
          + "(SELECT id_hash FROM secret_reveals WHERE expires_at < ? LIMIT ?)",
      "DELETE FROM login_verifications WHERE id_hash IN "
          + "(SELECT id_hash FROM login_verifications WHERE expires_at < ? LIMIT ?)",
      "DELETE FROM totp_secrets WHERE user_id IN (SELECT user_id FROM totp_secrets WHERE confirmed_at IS NULL "
          + "AND created_at < ? - " + PENDING_TOTP_KEEP_MILLIS + " LIMIT ?)",
      "DELETE FROM webauthn_challenges WHERE challenge_hash IN "
          + "(SELECT challenge_hash FROM webauthn_challenges WHERE expires_at < ? LIMIT ?)",
      "DELETE FROM login_failures WHERE id IN (SELECT id FROM login_failures WHERE at < ? - "
          + LOGIN_FAILURE_KEEP_MILLIS + " LIMIT ?)",
      "DELETE FROM login_subjects WHERE subject IN (SELECT subject FROM login_subjects WHERE last_attempt_at < ? - "
          + LOGIN_FAILURE_KEEP_MILLIS + " LIMIT ?)",
      "DELETE FROM send_confirmations WHERE id IN (SELECT id FROM send_confirmations WHERE expires_at < ? - "
          + CONFIRMATION_KEEP_MILLIS + " LIMIT ?)");

  private final Database db;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  public Housekeeping(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Runs every {@code period} on a daemon thread. */
  public void start(Duration period) {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "housekeeping");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::runSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Deletes what has expired; returns the number of rows removed. */
  public int purgeOnce() {
    int total = 0;
    long now = clock.millis();
    for (String sql : PURGES) {
      for (int i = 0; i < MAX_BATCHES_PER_TABLE; i++) {
        int deleted = db.update(sql, now, BATCH);
        total += deleted;
        if (deleted < BATCH) break;
      }
    }
    return total;
  }

  private void runSafely() {
    try {
      int removed = purgeOnce();
      if (removed > 0) LOG.info("housekeeping removed {} expired rows", removed);
    } catch (RuntimeException e) {
      LOG.warn("housekeeping failed; will retry: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (scheduler != null) scheduler.shutdownNow();
  }
}
