package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's write-ahead log is copied back into the database file by the background checkpointer, well
 * before the connections' own automatic checkpoint (which would run on the writer thread, inside a
 * commit) would fire.
 */
class SqliteCheckpointerTest {
  @TempDir
  Path dir;

  @Test
  void aCommittedWriteReachesTheDatabaseFileWithoutWaitingForTheAutomaticCheckpoint() throws Exception {
    Path file = dir.resolve("monei.db");
    Database db = Database.open("jdbc:sqlite:" + file, null, null);
    try {
      db.update("CREATE TABLE marks (v TEXT NOT NULL)");
      db.update("INSERT INTO marks VALUES ('written')");

      // A few pages of log: far below the automatic checkpoint's threshold.
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!inDatabaseFile(file) && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(inDatabaseFile(file)).as("the row, read from the database file alone").isTrue();
    } finally {
      db.close();
    }
  }

  /** Reads the database file alone: SQLite's immutable URI parameter ignores the log. */
  private static boolean inDatabaseFile(Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?immutable=1");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM marks WHERE v = 'written'")) {
      return rs.next() && rs.getInt(1) == 1;
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("no such table")) return false;
      throw e;
    }
  }
}
