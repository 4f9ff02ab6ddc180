package com.monei.connect.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hashing threads' 19 MiB blocks: reused while sign-ins come, their pages given back to the
 * kernel once the threads have been idle, and backed by huge pages where the kernel offers them.
 * Measured in this process's own resident memory, from /proc (64-bit Linux, where the advice is
 * given); the test server runs in this process, so its sign-ins hash in these blocks.
 */
@WithTestServer
class HashingMemoryTest {
  private static final long MIB = 1024 * 1024;
  private static final long BLOCK = PasswordHasher.MEMORY_KIB * 1024L;

  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @Test
  void releaseBlockWhenThreadHasHashedThenItsPagesLeaveResidentMemoryAndTheNextHashIsTheSame() throws Exception {
    assumeTrue(PageAdvice.supported(), "madvise is used on 64-bit Linux only");
    byte[] password = "charlie-password".getBytes(StandardCharsets.UTF_8);
    Phc parameters = new Phc(0x13, PasswordHasher.MEMORY_KIB, PasswordHasher.ITERATIONS, 1,
        "sixteen byte salt".substring(0, 16).getBytes(StandardCharsets.US_ASCII), new byte[32]);
    // On a thread of its own, whose block no one else uses.
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      byte[] first = thread.submit(() -> NativeArgon2id.hash(password, parameters)).get();
      long made = NativeArgon2id.blocksMade();
      long released = NativeArgon2id.blocksReleased();

      long[] resident = thread.submit(() -> {
        long before = residentBytes();
        NativeArgon2id.releaseBlock();
        return new long[] {before, residentBytes()};
      }).get();
      byte[] again = thread.submit(() -> NativeArgon2id.hash(password, parameters)).get();

      assertThat(resident[0] - resident[1]).as("resident bytes given back").isGreaterThan(BLOCK - 2 * MIB);
      assertThat(NativeArgon2id.blocksReleased()).isEqualTo(released + 1);
      // The same block, its pages faulted in again as zeros: libargon2 writes every block before reading it.
      assertThat(again).isEqualTo(first);
      assertThat(NativeArgon2id.blocksMade()).isEqualTo(made);
    } finally {
      thread.shutdownNow();
    }
  }

  @Test
  void signInWhenHashingThreadsWereIdleForIdleThenTheyGaveTheirBlocksBackAndSignInStillWorks() throws Exception {
    assumeTrue(PageAdvice.supported(), "madvise is used on 64-bit Linux only");
    User user = server.user();
    new MoneiTestClient(server).signIn(user);
    long released = NativeArgon2id.blocksReleased();

    assertThat(waitFor(() -> NativeArgon2id.blocksReleased() - released, 1, PasswordHasher.IDLE.multipliedBy(5)))
        .isGreaterThanOrEqualTo(1);
    // ...and the next sign-ins hash in the given-back blocks as before, over HTTP.
    MoneiTestClient again = new MoneiTestClient(server).signIn(user);
    assertThat(again.signedIn()).isTrue();
    MoneiTestClient wrong = new MoneiTestClient(server);
    assertThat(wrong.submitLogin(user.email(), "wrong-password", "/").statusCode()).isEqualTo(401);
    assertThat(wrong.signedIn()).isFalse();
  }

  @Test
  void idleAwareQueueWhenTasksKeepComingThenWaitsAndWhenIdleRunsOnceOnTheWorkerThread() throws Exception {
    List<String> idleOn = new CopyOnWriteArrayList<>();
    Duration idle = Duration.ofMillis(100);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new PasswordHasher.IdleAwareQueue(idle, () -> idleOn.add(Thread.currentThread().getName())),
        runnable -> new Thread(runnable, "worker"));
    try {
      // Five queued tasks of 50 ms each: 250 ms of work, longer than the idle time, but never idle.
      List<String> ranOn = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 5; i++) {
        pool.submit(() -> {
          sleep(50);
          ranOn.add(Thread.currentThread().getName() + (idleOn.isEmpty() ? "" : " after idle"));
        });
      }
      assertThat(waitFor(() -> ranOn.size(), 5, Duration.ofSeconds(5))).isEqualTo(5);
      assertThat(ranOn).containsOnly("worker");

      assertThat(waitFor(() -> idleOn.size(), 1, Duration.ofSeconds(5))).isEqualTo(1);
      Thread.sleep(idle.toMillis() * 3);
      assertThat(idleOn).as("once per idle spell, not once per idle period").containsExactly("worker");

      pool.submit(() -> { }).get();
      assertThat(waitFor(() -> idleOn.size(), 2, Duration.ofSeconds(5))).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void preferHugePagesWhenKernelOffersThemThenTheBlockIsBackedByThemUntilReleased() throws IOException {
    assumeTrue(PageAdvice.supported(), "madvise is used on 64-bit Linux only");
    String mode = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
    assumeTrue(!mode.contains("[never]"), "transparent huge pages are off here: " + mode.strip());
    Memory block = new Memory(BLOCK);
    try {
      assertThat(PageAdvice.preferHugePages(block)).isTrue();
      block.clear(); // the first touch of every page, as libargon2's first pass is

      assertThat(mapping(block, "AnonHugePages:")).as("huge pages under the block").isGreaterThanOrEqualTo(2 * MIB);
      assertThat(PageAdvice.release(block)).isTrue();
      assertThat(mapping(block, "Rss:")).as("resident after release").isLessThan(2 * MIB);
    } finally {
      block.close();
    }
  }

  /**
   * A field of /proc/self/smaps, in bytes, for the mapping that holds the middle of {@code block}:
   * the advice splits the block's mapping at its first whole page, so its start is in another.
   */
  private static long mapping(Memory block, String field) throws IOException {
    long address = Pointer.nativeValue(block) + block.size() / 2;
    boolean inside = false;
    for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        inside = Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16);
      } else if (inside && line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).replace("kB", "").strip()) * 1024;
      }
    }
    throw new AssertionError("no mapping holds the block at " + Long.toHexString(address));
  }

  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }
    throw new AssertionError("no VmRSS in /proc/self/status");
  }

  /** Polls {@code value} until it reaches {@code target} or {@code limit} passes; the last value seen. */
  private static long waitFor(LongSupplier value, long target, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    long seen = value.getAsLong();
    while (seen < target && System.nanoTime() < deadline) {
      Thread.sleep(20);
      seen = value.getAsLong();
    }
    return seen;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
