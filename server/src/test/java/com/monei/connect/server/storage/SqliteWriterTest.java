package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The group commit's gathering: after a commit that took its time (a disk slow to flush) the next
 * batch waits for writers still arriving, so they share one commit; after a fast one it starts at
 * once. The runner stands in for SQLite and reports how long its commit took.
 */
class SqliteWriterTest {
  private static final long SLOW_COMMIT = Duration.ofMillis(800).toNanos();
  // Far longer than the writer's own, so that thread scheduling cannot decide the outcome.
  private static final long MAX_GATHER = Duration.ofSeconds(2).toNanos();
  private static final long ARRIVAL_GAP = Duration.ofMillis(300).toNanos();

  @Test
  void afterASlowCommitAWriterArrivingShortlyAfterJoinsTheNextBatch() throws Exception {
    List<Integer> batches = new CopyOnWriteArrayList<>();
    try (SqliteWriter writer =
        new SqliteWriter(batch -> run(batch, batches, SLOW_COMMIT), MAX_GATHER, ARRIVAL_GAP)) {
      writer.submit(() -> "first");

      submitTwoFiftyMillisApart(writer);

      assertThat(batches).as("batch sizes").containsExactly(1, 2);
    }
  }

  @Test
  void afterAFastCommitTheNextBatchStartsAtOnce() throws Exception {
    List<Integer> batches = new CopyOnWriteArrayList<>();
    try (SqliteWriter writer = new SqliteWriter(batch -> run(batch, batches, 0), MAX_GATHER, ARRIVAL_GAP)) {
      writer.submit(() -> "first");

      submitTwoFiftyMillisApart(writer);

      assertThat(batches).as("batch sizes").containsExactly(1, 1, 1);
    }
  }

  /** Two writers on threads of their own, the second 50 ms after the first. */
  private static void submitTwoFiftyMillisApart(SqliteWriter writer) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<String> second = threads.submit(() -> writer.submit(() -> "second"));
      Thread.sleep(50);
      Future<String> third = threads.submit(() -> writer.submit(() -> "third"));
      assertThat(second.get()).isEqualTo("second");
      assertThat(third.get()).isEqualTo("third");
    } finally {
      threads.shutdownNow();
    }
  }

  private static long run(List<SqliteWriter.Job<?>> batch, List<Integer> batches, long commitNanos) {
    batches.add(batch.size());
    for (SqliteWriter.Job<?> job : batch) complete(job);
    return commitNanos;
  }

  private static <T> void complete(SqliteWriter.Job<T> job) {
    job.outcome.complete(job.work.get());
  }
}
