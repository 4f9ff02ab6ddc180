package com.monei.connect.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite only: write-ahead-log checkpoints off the writer thread. By default the connection whose
 * commit takes the WAL past a threshold copies the log back into the database file and fsyncs that
 * file before its commit returns. Every commit of this process runs on the {@link SqliteWriter}'s one
 * thread, so each such checkpoint held up every request waiting to write, for as long as the disk takes
 * to flush, several times a second under load. A daemon thread here runs PASSIVE checkpoints instead
 * (they never block the writer nor wait for it) shortly after commits; the connections' own automatic
 * checkpoint stays, at {@link #BACKSTOP_PAGES}, for when this thread falls behind or is not running
 * (the operator commands).
 */
final class SqliteCheckpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);
  /** About a thousand grants' worth of log at full load: the default threshold's order of size. */
  static final long PERIOD_MILLIS = 200;
  /** Four times SQLite's default: reached only when checkpoints here do not keep up. */
  static final int BACKSTOP_PAGES = 4000;

  private final DataSource dataSource;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean closed;

  SqliteCheckpointer(DataSource dataSource) {
    this.dataSource = dataSource;
    this.thread = new Thread(this::loop, "monei-sqlite-checkpoint");
    thread.setDaemon(true);
    thread.start();
  }

  /** Called after each commit: there is log to copy back. */
  void committed() {
    dirty.lazySet(true);
  }

  private void loop() {
    while (!closed) {
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      if (dirty.getAndSet(false)) checkpoint();
    }
  }

  private void checkpoint() {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException | RuntimeException e) {
      // The backstop checkpoints on commit meanwhile; a closed pool at shutdown lands here too.
      if (!closed) LOG.warn("WAL checkpoint failed: {}", e.toString());
      dirty.set(true);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
