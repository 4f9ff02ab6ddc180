package com.monei.connect.server.storage;

import java.sql.SQLException;

/** A failed plain-JDBC statement; the message names the statement but never its arguments. */
public final class DatabaseException extends RuntimeException {
  DatabaseException(String sql, SQLException cause) {
    super("statement failed: " + sql.strip().replaceAll("\\s+", " "), cause);
  }
}
