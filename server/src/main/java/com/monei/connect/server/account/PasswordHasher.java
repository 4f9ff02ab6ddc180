package com.monei.connect.server.account;

import com.monei.connect.server.validation.ValidationException;
import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Argon2id with OWASP's first recommended parameters (19 MiB, 2 passes, 1 lane), in PHC string
 * form so the parameters travel with each hash and can be raised later. The hashing is libargon2's,
 * the reference implementation, through argon2-jvm: its 19 MiB per hash are native memory, not heap.
 */
public final class PasswordHasher {
  static final int MEMORY_KIB = 19 * 1024;
  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  /**
   * How long a hashing thread waits for work before it gives its block's pages back. Faulting them
   * in again costs the next hash a few milliseconds, so only a server with no sign-in for this long
   * pays it.
   */
  static final Duration IDLE = Duration.ofSeconds(2);

  /**
   * Every hash runs on one of these threads, one per core, in the order asked. At most one hash per
   * core at a time: each one is 19 MiB of memory-hard work, and more of them at once only evict each
   * other from the caches, so every sign-in slows down. And always the same few threads: each keeps
   * the 19 MiB block libargon2 works in ({@link NativeArgon2id}), so the native memory of hashing
   * is one block per core, whoever asked, and none once the sign-ins stop for {@link #IDLE}.
   */
  private static final ExecutorService HASHING = hashingThreads(Runtime.getRuntime().availableProcessors());

  private static ExecutorService hashingThreads(int count) {
    return new ThreadPoolExecutor(count, count, 0, TimeUnit.MILLISECONDS,
        new IdleAwareQueue(IDLE, NativeArgon2id::releaseBlock), new HashingThreads());
  }

  /** CPU time spent hashing, so what a sign-in costs besides the hash can be measured (metrics). */
  private static final LongAdder CPU_NANOS = new LongAdder();
  private static final LongAdder HASHES = new LongAdder();

  /**
   * Verified when the email is unknown, so a miss costs the same time as a wrong password: a hash
   * in our parameters of random bytes, which no password matches. Random rather than computed, so
   * no start-up time goes into it.
   */
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String DUMMY_HASH = randomPhc();

  private static String randomPhc() {
    byte[] hash = new byte[HASH_BYTES];
    RANDOM.nextBytes(hash);
    return newParameters().withHash(hash).format();
  }

  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 1024;

  private PasswordHasher() {}

  public static String hash(String password) {
    requireNativeLibrary();
    Phc parameters = newParameters();
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    try {
      byte[] hash = onHashingThread(() -> NativeArgon2id.hash(bytes, parameters));
      if (hash == null) throw new IllegalStateException("libargon2 refused the server's own parameters");
      return parameters.withHash(hash).format();
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The server's parameters with a fresh random salt (the hash still to be computed). */
  private static Phc newParameters() {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new Phc(0x13, MEMORY_KIB, ITERATIONS, PARALLELISM, salt, new byte[HASH_BYTES]);
  }

  /** Whether {@code password} matches {@code phcHash}, with the parameters written in the hash. */
  public static boolean verify(String password, String phcHash) {
    if (password == null || password.length() > MAX_LENGTH) return false;
    requireNativeLibrary();
    Optional<Phc> expected = Phc.parse(phcHash);
    if (expected.isEmpty()) return false;
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    try {
      return onHashingThread(() -> NativeArgon2id.verify(bytes, expected.get()));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
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

  /**
   * Throws {@link HashingUnavailableException} with one line naming the platform when libargon2 cannot be
   * loaded here. Commands that hash call it before anything else: without it no one can sign in, and
   * there is no slower Java fallback to hide that.
   */
  public static void requireNativeLibrary() {
    argon2();
  }

  private static Argon2 argon2() {
    Libargon2 loaded = Loaded.LIBARGON2;
    if (loaded.problem() != null) throw new HashingUnavailableException(loaded.problem());
    return loaded.argon2();
  }

  /** argon2-jvm's Argon2id (thread-safe) on a loaded libargon2, or why that could not be loaded, in one line. */
  record Libargon2(Argon2 argon2, String problem) {}

  /** Loaded at the first check or hash, not with this class: creating argon2-jvm's Argon2 loads JNA. */
  private static final class Loaded {
    static final Libargon2 LIBARGON2 = load(() -> Argon2Factory.create(Argon2Types.ARGON2id, SALT_BYTES, HASH_BYTES),
        System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  static Libargon2 load(Supplier<Argon2> create, String osName, String osArch) {
    try {
      Argon2 argon2 = create.get();
      argon2.hash(1, 8, 1, new byte[0]); // the smallest hash: loads libargon2 and calls into it once
      // ...and once more as the server hashes, through the context functions and the memory callbacks.
      if (NativeArgon2id.hash(new byte[0], new Phc(0x13, 8, 1, 1, new byte[8], new byte[4])) == null)
        throw new IllegalStateException("libargon2 refused a test hash");
      return new Libargon2(argon2, null);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // UnsatisfiedLinkError at the first load, NoClassDefFoundError after it, or JNA's plain
      // Error for a mismatched stub: all mean the same to an operator.
      return new Libargon2(null, unavailableMessage(e, osName, osArch));
    }
  }

  static String unavailableMessage(Throwable cause, String osName, String osArch) {
    // JNA lists every place it looked, one per line, with the whole class path among them.
    String detail = cause.getMessage() == null ? ""
        : cause.getMessage().strip().replaceAll(":\\s*\\R\\s*", ": ").replaceAll("\\s*\\R\\s*", "; ");
    if (detail.length() > 300) detail = detail.substring(0, 300) + "...";
    return "cannot load libargon2 (Argon2id password hashing, through JNA) on " + osName + "/" + osArch
        + " (" + cause.getClass().getSimpleName() + (detail.isEmpty() ? "" : ": " + detail) + "). argon2-jvm"
        + " bundles it for Linux x86-64/aarch64/arm/x86, macOS x86-64/aarch64 and Windows x86-64/x86;"
        + " elsewhere install libargon2 where the system loader or -Djna.library.path finds it.";
  }

  /**
   * Runs {@code work} on a hashing thread and waits for it. Uninterruptibly, as the caller's password
   * bytes must outlive the hash; an interrupt is kept for the caller to see afterwards.
   */
  private static <T> T onHashingThread(Supplier<T> work) {
    Future<T> result = HASHING.submit(() -> {
      long cpu = ThreadCpu.now();
      try {
        return work.get();
      } finally {
        count(cpu);
      }
    });
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) throw runtime;
      if (e.getCause() instanceof Error error) throw error;
      throw new IllegalStateException(e.getCause());
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * The hashing threads' queue. A ThreadPoolExecutor's threads wait for work in {@link #take()},
   * so this is where a thread learns it has been idle for {@code idle}: it runs {@code whenIdle}
   * then, on itself and between two tasks, and waits on.
   */
  static final class IdleAwareQueue extends LinkedBlockingQueue<Runnable> {
    private final Duration idle;
    private final Runnable whenIdle;

    IdleAwareQueue(Duration idle, Runnable whenIdle) {
      this.idle = idle;
      this.whenIdle = whenIdle;
    }

    @Override
    public Runnable take() throws InterruptedException {
      Runnable next = poll(idle.toNanos(), TimeUnit.NANOSECONDS);
      if (next != null) return next;
      try {
        whenIdle.run();
      } catch (RuntimeException e) {
        // Memory housekeeping only: a failure must not take the hashing thread with it.
      }
      return super.take();
    }
  }

  /** Daemon threads: a command that hashed still exits when its work is done. */
  private static final class HashingThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable runnable) {
      Thread thread = new Thread(runnable, "argon2-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
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

  /** The hash verified for unknown emails (for tests). */
  static String dummyHash() {
    return DUMMY_HASH;
  }
}
