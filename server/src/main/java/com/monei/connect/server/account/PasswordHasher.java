package com.monei.connect.server.account;

import com.monei.connect.server.validation.ValidationException;
import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Argon2id with OWASP's first recommended parameters (19 MiB, 2 passes, 1 lane), in PHC string
 * form so the parameters travel with each hash and can be raised later.
 */
public final class PasswordHasher {
  private static final Argon2Function ARGON2 = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
  /**
   * At most one hash per core at a time: each one is 19 MiB of memory-hard work, and more of them at
   * once only evict each other from the caches, halving sign-ins per second under load.
   */
  private static final Semaphore SLOTS = new Semaphore(Runtime.getRuntime().availableProcessors(), true);
  /** Verification on reused memory (null: password4j's own, fresh memory per hash). */
  private static final PooledArgon2 POOLED = PooledArgon2.create(ARGON2);

  /** CPU time spent hashing, so what a sign-in costs besides the hash can be measured (metrics). */
  private static final LongAdder CPU_NANOS = new LongAdder();
  private static final LongAdder HASHES = new LongAdder();

  /**
   * Verified when the email is unknown, so a miss costs the same time as a wrong password: a hash
   * in our parameters of random bytes, which no password matches. Not computed, as hashing it
   * took ~100 MB of password4j's garbage at the first sign-in.
   */
  private static final String DUMMY_HASH = randomPhc();

  private static String randomPhc() {
    byte[] salt = new byte[16];
    byte[] hash = new byte[ARGON2.getOutputLength()];
    SecureRandom random = new SecureRandom();
    random.nextBytes(salt);
    random.nextBytes(hash);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2" + ARGON2.getVariant().name().toLowerCase(Locale.ROOT) + "$v=" + ARGON2.getVersion()
        + "$m=" + ARGON2.getMemory() + ",t=" + ARGON2.getIterations() + ",p=" + ARGON2.getParallelism()
        + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 1024;

  private PasswordHasher() {}

  public static String hash(String password) {
    SLOTS.acquireUninterruptibly();
    long cpu = ThreadCpu.now();
    try {
      return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    } finally {
      count(cpu);
      SLOTS.release();
    }
  }

  public static boolean verify(String password, String phcHash) {
    if (password == null || password.length() > MAX_LENGTH) return false;
    SLOTS.acquireUninterruptibly();
    long cpu = ThreadCpu.now();
    try {
      Argon2Function parameters = Argon2Function.getInstanceFromHash(phcHash);
      if (POOLED != null && POOLED.handles(parameters)) return POOLED.matches(password, phcHash);
      return Password.check(password, phcHash).with(parameters);
    } catch (RuntimeException malformedHash) {
      return false;
    } finally {
      count(cpu);
      SLOTS.release();
    }
  }

  private static void count(long cpuAtStart) {
    HASHES.increment();
    if (cpuAtStart >= 0) CPU_NANOS.add(ThreadCpu.now() - cpuAtStart);
  }

  /** Hashes and verifications so far, and the CPU seconds their threads spent on them. */
  public static long hashes() {
    return HASHES.sum();
  }

  public static double cpuSeconds() {
    return CPU_NANOS.sum() / 1e9;
  }

  /** Loaded at the first hash, not at start-up: java.management is a few hundred classes. */
  private static final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

    static long now() {
      return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : -1;
    }
  }

  /** Whether verification runs on reused memory (for tests). */
  static boolean pooled() {
    return POOLED != null;
  }

  /** The hash verified for unknown emails (for tests). */
  static String dummyHash() {
    return DUMMY_HASH;
  }

  /** Burns the time of one verification; used when there is no user to check against. */
  public static void verifyDummy(String password) {
    verify(password == null ? "" : password, DUMMY_HASH);
  }

  public static void validateNew(String password) {
    if (password == null || password.length() < MIN_LENGTH)
      throw new ValidationException("The password must have at least " + MIN_LENGTH + " characters.");
    if (password.length() > MAX_LENGTH)
      throw new ValidationException("The password is too long.");
  }
}
