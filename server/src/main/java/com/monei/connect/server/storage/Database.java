package com.monei.connect.server.storage;

import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;

/**
 * The connection pool, schema migrations, transactions and the one way stores talk to the
 * database: plain JDBC on statements kept prepared per connection ({@link StatementCache}), with
 * positional parameters, and rows read by column name. SQLite (embedded) and PostgreSQL share
 * every statement; only the connection set-up and how a transaction is run differ.
 */
public final class Database implements Transactions, AutoCloseable {
  public enum Dialect { SQLITE, POSTGRES }

  /** Serializable transactions on hot rows (one wallet sending from many threads) may need many tries. */
  private static final int MAX_ATTEMPTS = 30;

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  /** The connection of the transaction running on this thread, which store calls join. */
  private final ThreadLocal<Connection> current = new ThreadLocal<>();
  private final StatementCache statements = new StatementCache();
  /**
   * SQLite has one writer at a time and its busy handler backs off in steps of up to 100 ms, so
   * writers of this process queue here instead, and commit in groups; the busy timeout still
   * covers other processes.
   */
  private final SqliteWriter sqliteWriter;
  private final SqliteCheckpointer sqliteCheckpointer;

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.sqliteWriter = dialect == Dialect.SQLITE ? new SqliteWriter(this::runBatch) : null;
    this.sqliteCheckpointer = dialect == Dialect.SQLITE ? new SqliteCheckpointer(dataSource) : null;
  }

  /** Opens the pool and brings the schema up to date. */
  public static Database open(String url, String user, String password) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url);
    hikari.setPoolName("monei");
    hikari.setConnectionTimeout(3_000);
    hikari.setInitializationFailTimeout(-1);
    Dialect dialect;
    if (url.startsWith("jdbc:sqlite:")) {
      dialect = Dialect.SQLITE;
      createParentDirectory(url.substring("jdbc:sqlite:".length()));
      hikari.addDataSourceProperty("journal_mode", "WAL");
      // Every commit is fsynced (group commit keeps that affordable): nothing acknowledged is lost.
      hikari.addDataSourceProperty("synchronous", "FULL");
      hikari.addDataSourceProperty("busy_timeout", "15000");
      hikari.addDataSourceProperty("foreign_keys", "true");
      hikari.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      // Savepoint journals in memory: on file, each group commit created and deleted a temp file.
      hikari.addDataSourceProperty("temp_store", "MEMORY");
      // No store reads generated keys; left on, the driver runs and finalizes a SELECT last_insert_rowid()
      // after every INSERT, which the single writer thread pays for.
      hikari.addDataSourceProperty("jdbc.get_generated_keys", "false");
      hikari.addDataSourceProperty("wal_autocheckpoint", String.valueOf(SqliteCheckpointer.BACKSTOP_PAGES));
      hikari.setMaximumPoolSize(8);
    } else if (url.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRES;
      if (user != null) hikari.setUsername(user);
      if (password != null) hikari.setPassword(password);
      hikari.setMaximumPoolSize(16);
    } else {
      throw new ValidationException("database URL must start with jdbc:sqlite: or jdbc:postgresql:");
    }
    HikariDataSource ds = new HikariDataSource(hikari);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, dialect);
  }

  public Dialect dialect() {
    return dialect;
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    return run(Connection.TRANSACTION_SERIALIZABLE, work);
  }

  @Override
  public <T> T inRowLockingTransaction(Supplier<T> work) {
    return run(Connection.TRANSACTION_READ_COMMITTED, work);
  }

  private <T> T run(int isolation, Supplier<T> work) {
    if (current.get() != null) return work.get();
    if (dialect == Dialect.SQLITE) return sqliteWriter.submit(work);
    for (int attempt = 1; ; attempt++) {
      try {
        return runOnce(isolation, work);
      } catch (RuntimeException e) {
        if (!isRetryable(e)) throw translate(e);
        // Still conflicting after every retry: the client may try again, so 503 rather than 500.
        if (attempt >= MAX_ATTEMPTS) throw new DatabaseUnavailableException(e);
      }
      backOff(attempt);
    }
  }

  /** One attempt of a PostgreSQL transaction; the pool restores autocommit and isolation on return. */
  private <T> T runOnce(int isolation, Supplier<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setTransactionIsolation(isolation);
      connection.setAutoCommit(false);
      current.set(connection);
      boolean committed = false;
      try {
        T result = work.get();
        connection.commit();
        committed = true;
        return result;
      } finally {
        current.remove();
        if (!committed) rollback(connection);
      }
    } catch (SQLException e) {
      // Taking a connection, beginning or committing failed (a serialization failure may show at commit).
      throw new DatabaseException("BEGIN / COMMIT", e);
    }
  }

  private void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // Never pool a connection that could still be inside a transaction.
      dataSource.evictConnection(connection);
    }
  }

  // SQLite only, from here to rollbackSqlite: every write transaction of this process runs on the
  // SqliteWriter's thread, in batches.

  /**
   * The SQLite writer's batch: one BEGIN IMMEDIATE ... COMMIT (so one fsync) around every job,
   * each in a savepoint so a failing job rolls back alone. A busy database (another process
   * writing) retries the whole batch. Statements are cached and the connection stays in
   * autocommit mode: the driver's own commit() would begin the next transaction at once.
   */
  private long runBatch(List<SqliteWriter.Job<?>> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return runBatchOnce(batch);
      } catch (RuntimeException e) {
        if (!isRetryable(e) || attempt >= MAX_ATTEMPTS) {
          RuntimeException failure = isRetryable(e) ? new DatabaseUnavailableException(e) : translate(e);
          for (SqliteWriter.Job<?> job : batch) job.outcome.completeExceptionally(failure);
          return 0;
        }
      }
      backOff(attempt);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  /** One try of a batch; answers how long its COMMIT (the fsync) took. */
  private long runBatchOnce(List<SqliteWriter.Job<?>> batch) {
    long commitNanos;
    Object[] results = new Object[batch.size()];
    RuntimeException[] failures = new RuntimeException[batch.size()];
    try (Connection connection = dataSource.getConnection()) {
      current.set(connection);
      boolean committed = false;
      try {
        execute(connection, "BEGIN IMMEDIATE");
        for (int i = 0; i < batch.size(); i++) {
          execute(connection, "SAVEPOINT job");
          try {
            results[i] = batch.get(i).work.get();
          } catch (RuntimeException e) {
            if (isRetryable(e)) throw e;
            execute(connection, "ROLLBACK TO job");
            failures[i] = translate(e);
          }
          execute(connection, "RELEASE job");
        }
        long commitStart = System.nanoTime();
        execute(connection, "COMMIT");
        commitNanos = System.nanoTime() - commitStart;
        committed = true;
        sqliteCheckpointer.committed();
      } finally {
        current.remove();
        if (!committed) rollbackSqlite(connection);
      }
    } catch (SQLException e) {
      throw new DatabaseException("BEGIN IMMEDIATE", e);
    }
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture outcome = batch.get(i).outcome;
      if (failures[i] != null) outcome.completeExceptionally(failures[i]);
      else outcome.complete(results[i]);
    }
    return commitNanos;
  }

  private void execute(Connection connection, String sql) {
    try {
      statements.prepare(connection, sql).statement.execute();
    } catch (SQLException e) {
      throw new DatabaseException(sql, e);
    }
  }

  private void rollbackSqlite(Connection connection) {
    try {
      statements.prepare(connection, "ROLLBACK").statement.execute();
    } catch (SQLException e) {
      // SQLite may have rolled back already (then this is harmless); never pool a connection
      // that could still be inside a transaction.
      dataSource.evictConnection(connection);
    }
  }

  /** Reads a whole result, row by row, columns by name. */
  @FunctionalInterface
  public interface Rows<T> {
    T read(ResultRow rows) throws SQLException;
  }

  /** Maps the result's current row, columns by name. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultRow row) throws SQLException;
  }

  /** The first row of a query, if any. */
  public <T> Optional<T> findOne(String sql, Row<T> row, Object... params) {
    return read(sql, rows -> rows.next() ? Optional.of(row.map(rows)) : Optional.<T>empty(), params);
  }

  /** Every row of a query, in its order. */
  public <T> List<T> list(String sql, Row<T> row, Object... params) {
    return read(sql, rows -> {
      List<T> out = new ArrayList<>();
      while (rows.next()) out.add(row.map(rows));
      return out;
    }, params);
  }

  /**
   * A query on a statement kept prepared per connection: preparing costs more than SQLite's
   * look-up itself. Parameters are positional ({@code ?}). Joins the current transaction when
   * there is one, otherwise runs on a pooled autocommit connection.
   */
  public <T> T read(String sql, Rows<T> rows, Object... params) {
    try {
      Connection joined = current.get();
      if (joined != null) return read(joined, sql, rows, params);
      try (Connection connection = dataSource.getConnection()) {
        try {
          return read(connection, sql, rows, params);
        } catch (SQLException e) {
          // A failure of the connection itself: the pool must not hand this one out again.
          if (isConnectionFailure(e)) dataSource.evictConnection(connection);
          throw e;
        }
      }
    } catch (SQLException e) {
      throw translate(new DatabaseException(sql, e));
    }
  }

  private <T> T read(Connection connection, String sql, Rows<T> rows, Object[] params) throws SQLException {
    StatementCache.Cached cached = statements.prepare(connection, sql);
    PreparedStatement statement = cached.statement;
    // Every parameter is bound on every call, so nothing of the previous call remains; no
    // clearParameters(), which makes SQLite re-prepare the statement at its next step.
    for (int i = 0; i < params.length; i++) statement.setObject(i + 1, params[i]);
    // Closing the result set resets the statement, which ends SQLite's read transaction.
    try (ResultSet rs = statement.executeQuery()) {
      return rows.read(new ResultRow(rs, cached.columns(rs)));
    }
  }

  /**
   * A write on a cached statement; positional parameters; returns the number of rows changed.
   * Joins the current transaction, or runs in one of its own (on SQLite, through the writer).
   */
  public int update(String sql, Object... params) {
    Connection joined = current.get();
    if (joined == null) return inTransaction(() -> update(sql, params));
    try {
      PreparedStatement statement = statements.prepare(joined, sql).statement;
      for (int i = 0; i < params.length; i++) statement.setObject(i + 1, params[i]);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException(sql, e);
    }
  }

  /** Work on a borrowed connection. */
  @FunctionalInterface
  public interface ConnectionWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Lends the current transaction's connection, or else a pooled autocommit one, to work that
   * is no store's: checks that read many tables at once (the ledger's invariants in tests). Stores
   * use {@link #read} and {@link #update}.
   */
  public <T> T withConnection(ConnectionWork<T> work) {
    try {
      Connection joined = current.get();
      if (joined != null) return work.run(joined);
      try (Connection connection = dataSource.getConnection()) {
        return work.run(connection);
      }
    } catch (SQLException e) {
      throw translate(new DatabaseException("(borrowed connection)", e));
    }
  }

  int cachedConnections() {
    return statements.connections();
  }

  /** True when the database answers a trivial query. */
  public boolean isReachable() {
    try {
      return read("SELECT 1 AS one", rows -> rows.next() && rows.getInt("one") == 1);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (sqliteWriter != null) sqliteWriter.close();
    if (sqliteCheckpointer != null) sqliteCheckpointer.close();
    dataSource.close();
  }

  private static boolean isRetryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state)) return true;
        // SQLITE_BUSY / SQLITE_LOCKED, possible when another process holds the write lock too long.
        if (sql.getErrorCode() == 5 || sql.getErrorCode() == 6) return true;
      }
    }
    return false;
  }

  private static RuntimeException translate(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DatabaseUnavailableException u) return u;
      // 08xxx: connection failures; 57P0x: the server is shutting down, restarting or starting up.
      if (t instanceof SQLTransientConnectionException || (t instanceof SQLException sql && isConnectionFailure(sql))) {
        return new DatabaseUnavailableException(e);
      }
    }
    return e;
  }

  private static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /** Full-jitter exponential backoff, 1 ms doubling to at most 64 ms, so retries spread out. */
  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L << Math.min(attempt, 6)));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private static void createParentDirectory(String file) {
    String path = file.contains("?") ? file.substring(0, file.indexOf('?')) : file;
    if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) return;
    Path parent = Path.of(path).toAbsolutePath().getParent();
    try {
      if (parent != null) Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException("cannot create the database directory " + parent, e);
    }
  }
}
