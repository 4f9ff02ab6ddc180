package com.monei.connect.server.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite only (PostgreSQL transactions run on their callers' threads). The batch it runs, with its
 * BEGIN IMMEDIATE, savepoints and retries, is {@code Database.runBatch}, next to the connection
 * and transaction state it needs.
 *
 * <p>Group commit for SQLite, which has one writer at a time and pays an fsync per commit: one thread
 * runs every write transaction of this process, taking all that are waiting into one SQLite
 * transaction, each inside its own savepoint, and commits them together. A transaction that fails
 * rolls back to its savepoint alone; the others commit. Callers get their result only after the
 * commit, so nothing is acknowledged that is not durable.
 */
final class SqliteWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
  /** Enough to amortise the fsync; small enough that one batch stays a few milliseconds. */
  static final int MAX_BATCH = 64;
  /** A commit at least this slow is a disk that takes its time to flush: the next batch gathers first. */
  static final long SLOW_COMMIT_NANOS = 1_000_000;
  /** At most this long, whatever the flush takes. */
  static final long MAX_GATHER_NANOS = 5_000_000;
  /** A pause in arrivals this long ends the gathering: whoever was coming back is back. */
  static final long ARRIVAL_GAP_NANOS = 200_000;

  /** One caller's transaction and where its outcome goes. */
  static final class Job<T> {
    final Supplier<T> work;
    final CompletableFuture<T> outcome = new CompletableFuture<>();

    Job(Supplier<T> work) {
      this.work = work;
    }
  }

  /** Runs a batch in one transaction and completes its jobs after the commit; answers how long the commit took. */
  interface BatchRunner {
    long run(List<Job<?>> batch);
  }

  private static final Job<Void> STOP = new Job<>(() -> null);

  private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
  private final BatchRunner runner;
  private final long maxGatherNanos;
  private final long arrivalGapNanos;
  private final Thread thread;
  private volatile boolean closed;

  SqliteWriter(BatchRunner runner) {
    this(runner, MAX_GATHER_NANOS, ARRIVAL_GAP_NANOS);
  }

  /** With other gathering times: tests slow them down so that thread scheduling cannot decide. */
  SqliteWriter(BatchRunner runner, long maxGatherNanos, long arrivalGapNanos) {
    this.runner = runner;
    this.maxGatherNanos = maxGatherNanos;
    this.arrivalGapNanos = arrivalGapNanos;
    this.thread = new Thread(this::loop, "monei-sqlite-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code work} as (part of) a write transaction and waits for its commit. */
  <T> T submit(Supplier<T> work) {
    Job<T> job = new Job<>(work);
    // Under the same lock as close(): no job can be queued behind STOP, where no one would run it.
    synchronized (queue) {
      if (closed) throw new DatabaseUnavailableException(new IllegalStateException("the database is closed"));
      queue.add(job);
    }
    try {
      return job.outcome.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw e;
    }
  }

  private void loop() {
    List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    long lastCommitNanos = 0;
    while (!stopping) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
        if (lastCommitNanos >= SLOW_COMMIT_NANOS) gather(batch, Math.min(lastCommitNanos / 2, maxGatherNanos));
        // close() queues STOP last: the jobs before it still run and commit.
        stopping = batch.remove(STOP);
        lastCommitNanos = batch.isEmpty() ? 0 : runner.run(batch);
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        // The runner completes every job itself; this is a last resort so no caller waits forever.
        LOG.error("SQLite writer batch failed", t);
        for (Job<?> job : batch) job.outcome.completeExceptionally(new DatabaseUnavailableException(t));
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * After a slow commit, writers arrive in waves: those the last commit answered come back while the
   * next batch flushes, and each wave would pay a flush of its own, however many callers are in
   * flight. Waiting for arrivals to pause, for a fraction of a commit at most, merges the waves.
   */
  private void gather(List<Job<?>> batch, long budgetNanos) throws InterruptedException {
    long deadline = System.nanoTime() + budgetNanos;
    while (batch.size() < MAX_BATCH && !batch.contains(STOP)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return;
      Job<?> next = queue.poll(Math.min(left, arrivalGapNanos), TimeUnit.NANOSECONDS);
      if (next == null) return;
      batch.add(next);
    }
  }

  @Override
  public void close() {
    synchronized (queue) {
      if (closed) return;
      closed = true;
      queue.add(STOP);
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Job<?> job; (job = queue.poll()) != null; ) {
      job.outcome.completeExceptionally(new DatabaseUnavailableException(new IllegalStateException("closed")));
    }
  }
}
