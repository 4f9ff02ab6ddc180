package com.monei.connect.server.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database per test server: a temp SQLite file, or, when the suite runs against
 * PostgreSQL (MONEI_TEST_DB=postgres with MONEI_TEST_PG_URL / MONEI_TEST_PG_USER), a new database
 * created on that server and dropped afterwards.
 */
public final class TestDatabases {
  private TestDatabases() {}

  /** A database the caller owns; {@link Handle#close()} removes it. */
  public record Handle(String url, String user, String password, Runnable dropper) implements AutoCloseable {
    @Override
    public void close() {
      dropper.run();
    }
  }

  public static boolean onPostgres() {
    return "postgres".equalsIgnoreCase(System.getenv("MONEI_TEST_DB"))
        || "postgres".equalsIgnoreCase(System.getProperty("monei.test.db"));
  }

  public static Handle create() {
    return onPostgres() ? createPostgres() : createSqlite();
  }

  private static Handle createSqlite() {
    try {
      Path dir = Files.createTempDirectory("monei-test-");
      Path file = dir.resolve("monei.db");
      return new Handle("jdbc:sqlite:" + file, null, null, () -> deleteQuietly(dir));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Handle createPostgres() {
    String base = System.getenv().getOrDefault("MONEI_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:55432/monei");
    String user = System.getenv().getOrDefault("MONEI_TEST_PG_USER", "monei");
    String password = System.getenv("MONEI_TEST_PG_PASSWORD");
    String name = "monei_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    admin(base, user, password, "CREATE DATABASE " + name);
    String url = base.substring(0, base.lastIndexOf('/') + 1) + name;
    return new Handle(url, user, password, () -> admin(base, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
  }

  private static void admin(String url, String user, String password, String sql) {
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL admin statement failed: " + sql, e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a leftover temp file is harmless
    }
  }
}
