package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.monei.connect.server.support.FreshDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Database.inTransaction under concurrency. On SQLite the writer commits waiting transactions
 * together (group commit): every caller must still get its own result, no update may be lost, and
 * a failing transaction must roll back alone while the others of its batch commit.
 */
class TransactionsTest {
  @RegisterExtension final FreshDatabase database = new FreshDatabase();
  Database db;

  @BeforeEach
  void open() {
    db = database.db();
    db.update("CREATE TABLE counter_test (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
    db.update("CREATE TABLE rows_test (id BIGINT PRIMARY KEY)");
    db.update("INSERT INTO counter_test VALUES (1, 0)");
  }

  private long counter() {
    return db.read("SELECT n FROM counter_test WHERE id = 1", rs -> rs.next() ? rs.getLong("n") : -1);
  }

  private long rowCount() {
    return db.read("SELECT COUNT(*) AS n FROM rows_test", rs -> rs.next() ? rs.getLong("n") : -1);
  }

  private <T> List<Future<T>> runConcurrently(int n, java.util.function.IntFunction<Callable<T>> task) {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<T>> out = new ArrayList<>();
      for (int i = 0; i < n; i++) out.add(pool.submit(task.apply(i)));
      return out;
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void concurrentReadModifyWriteTransactionsLoseNoUpdateAndEachSeesItsOwnResult() throws Exception {
    // PostgreSQL's row-locking transactions are READ COMMITTED, so the row is locked explicitly there.
    String select = "SELECT n FROM counter_test WHERE id = 1"
        + (db.dialect() == Database.Dialect.POSTGRES ? " FOR UPDATE" : "");
    List<Future<Long>> results = runConcurrently(400, i -> () -> db.inRowLockingTransaction(() -> {
      long before = db.read(select, rs -> {
        rs.next();
        return rs.getLong("n");
      });
      db.update("UPDATE counter_test SET n = ? WHERE id = 1", before + 1);
      return before + 1;
    }));
    List<Long> seen = new ArrayList<>();
    for (Future<Long> r : results) seen.add(r.get());
    assertThat(counter()).isEqualTo(400);
    // Serial execution: every caller saw a different value, 1..400.
    assertThat(seen).doesNotHaveDuplicates().hasSize(400).allMatch(v -> v >= 1 && v <= 400);
  }

  @Test
  void aFailingTransactionRollsBackAloneAndItsCallerGetsItsOwnException() throws Exception {
    List<Future<Long>> results = runConcurrently(200, i -> () -> db.inTransaction(() -> {
      db.update("INSERT INTO rows_test VALUES (?)", (long) i);
      if (i % 5 == 0) throw new IllegalArgumentException("refused " + i);
      return (long) i;
    }));
    int failed = 0;
    for (int i = 0; i < results.size(); i++) {
      final int n = i;
      if (i % 5 == 0) {
        assertThatThrownBy(() -> results.get(n).get()).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("refused " + i);
        failed++;
      } else {
        long value = results.get(i).get();
        assertThat(value).isEqualTo(i);
      }
    }
    assertThat(failed).isEqualTo(40);
    assertThat(rowCount()).isEqualTo(160);
    long refusedRows = db.read("SELECT COUNT(*) AS n FROM rows_test WHERE id % 5 = 0",
        rs -> rs.next() ? rs.getLong("n") : -1);
    assertThat(refusedRows).isZero();
  }

  @Test
  void aConstraintViolationFailsOnlyItsOwnTransaction() throws Exception {
    // Every other transaction inserts a duplicate key: the database refuses those statements alone.
    List<Future<String>> results = runConcurrently(100, i -> () -> {
      try {
        return db.inTransaction(() -> {
          db.update("INSERT INTO rows_test VALUES (?)", (long) (i % 2 == 0 ? i : 1_000_000));
          return "ok";
        });
      } catch (RuntimeException e) {
        return "refused";
      }
    });
    long ok = 0;
    for (Future<String> r : results) if (r.get().equals("ok")) ok++;
    assertThat(ok).isEqualTo(51);  // 50 distinct even keys and one of the 50 duplicates
    assertThat(rowCount()).isEqualTo(51);
  }

  @Test
  void nestedTransactionsJoinTheOuterOneAndRollBackWithIt() {
    assertThatThrownBy(() -> db.inTransaction(() -> {
      db.update("INSERT INTO rows_test VALUES (1)");
      db.inTransaction(() -> db.update("INSERT INTO rows_test VALUES (2)"));
      throw new IllegalStateException("abort");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(rowCount()).isZero();
    db.inTransaction(() -> db.inRowLockingTransaction(() -> db.update("INSERT INTO rows_test VALUES (3)")));
    assertThat(rowCount()).isEqualTo(1);
  }

  @Test
  void aTransactionAfterCloseIsRefusedRatherThanLeftWaiting() {
    db.close();
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () ->
        assertThatThrownBy(() -> db.inTransaction(() -> db.update("INSERT INTO rows_test VALUES (9)")))
            .isInstanceOf(RuntimeException.class));
    db = database.reopen();
    assertThat(rowCount()).isZero();
  }

  @Test
  void closingTheDatabaseCommitsWhatWasAcknowledged() {
    db.inTransaction(() -> db.update("INSERT INTO rows_test VALUES (7)"));
    db.close();
    db = database.reopen();
    assertThat(rowCount()).isEqualTo(1);
  }
}
