package com.monei.connect.server.storage;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A query's result as stores read it: row by row, columns by name (their label in the select
 * list). The names are resolved to positions once per cached statement, from the result's
 * metadata: sqlite-jdbc builds its own name map afresh for every execution, which showed on the
 * access-token look-up that every API call makes.
 */
public final class ResultRow {
  private final ResultSet rs;
  private final Columns columns;

  ResultRow(ResultSet rs, Columns columns) {
    this.rs = rs;
    this.columns = columns;
  }

  /** Moves to the next row; false when there is none. */
  public boolean next() throws SQLException {
    return rs.next();
  }

  public String getString(String column) throws SQLException {
    return rs.getString(columns.position(column));
  }

  public long getLong(String column) throws SQLException {
    return rs.getLong(columns.position(column));
  }

  public int getInt(String column) throws SQLException {
    return rs.getInt(columns.position(column));
  }

  public boolean getBoolean(String column) throws SQLException {
    return rs.getBoolean(columns.position(column));
  }

  public byte[] getBytes(String column) throws SQLException {
    return rs.getBytes(columns.position(column));
  }

  /** True when the column read last was SQL NULL. */
  public boolean wasNull() throws SQLException {
    return rs.wasNull();
  }

  /** The positions of a statement's result columns by label, as the driver reports them. */
  static final class Columns {
    private final Map<String, Integer> positions;

    private Columns(Map<String, Integer> positions) {
      this.positions = positions;
    }

    static Columns of(ResultSetMetaData meta) throws SQLException {
      Map<String, Integer> positions = new HashMap<>();
      // The first of two equal labels wins, as with ResultSet.findColumn.
      for (int i = meta.getColumnCount(); i >= 1; i--) positions.put(meta.getColumnLabel(i), i);
      return new Columns(positions);
    }

    int position(String column) throws SQLException {
      Integer position = positions.get(column);
      // PostgreSQL folds unquoted labels to lower case; SQLite keeps them as written.
      if (position == null) position = positions.get(column.toLowerCase(Locale.ROOT));
      if (position == null) throw new SQLException("no such column in the result: " + column);
      return position;
    }
  }
}
