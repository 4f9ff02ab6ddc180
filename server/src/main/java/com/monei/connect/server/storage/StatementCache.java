package com.monei.connect.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Statements kept prepared per physical connection, for every statement of every store on both
 * dialects (it is not SQLite-only: one code path for both). It exists for SQLite, whose prepare
 * costs more than an indexed look-up and whose driver caches nothing; PostgreSQL's driver keeps
 * its own per-connection cache of server-side prepared statements, so there it only saves the
 * statement objects. A pooled connection serves one thread at a time, so its statements do too;
 * entries of connections the pool has closed are dropped when a new connection shows up.
 */
final class StatementCache {
  private final Map<Connection, Map<String, Cached>> byConnection = new ConcurrentHashMap<>();

  /** A prepared statement and, once it has answered a query, the positions of its result columns. */
  static final class Cached {
    final PreparedStatement statement;
    // Only the thread holding the connection touches it; the pool's hand-over orders the accesses.
    private ResultRow.Columns columns;

    Cached(PreparedStatement statement) {
      this.statement = statement;
    }

    ResultRow.Columns columns(ResultSet rs) throws SQLException {
      if (columns == null) columns = ResultRow.Columns.of(rs.getMetaData());
      return columns;
    }
  }

  /** The prepared statement for {@code sql} on the physical connection behind {@code pooled}. */
  Cached prepare(Connection pooled, String sql) throws SQLException {
    // Prepared on the physical connection: the pool closes statements made through its proxy on return.
    Connection physical = pooled.unwrap(Connection.class);
    Map<String, Cached> statements = byConnection.get(physical);
    if (statements == null) {
      byConnection.keySet().removeIf(StatementCache::isClosed);
      statements = new ConcurrentHashMap<>();
      byConnection.put(physical, statements);
    }
    Cached cached = statements.get(sql);
    if (cached == null || cached.statement.isClosed()) {
      cached = new Cached(physical.prepareStatement(sql));
      statements.put(sql, cached);
    }
    return cached;
  }

  /** How many connections have statements here (for tests). */
  int connections() {
    return byConnection.size();
  }

  private static boolean isClosed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
