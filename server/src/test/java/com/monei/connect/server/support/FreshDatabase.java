package com.monei.connect.server.support;

import com.monei.connect.server.storage.Database;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A migrated database of its own for each test, without a server: a temp SQLite file, or a new
 * PostgreSQL database in the PostgreSQL pass ({@link TestDatabases}); closed and removed after the
 * test. Register it as an instance field with {@code @RegisterExtension}; it is open before the
 * class's own {@code @BeforeEach} methods run.
 */
public final class FreshDatabase implements BeforeEachCallback, AfterEachCallback {
  private TestDatabases.Handle handle;
  private Database db;

  public Database db() {
    return db;
  }

  /** The same database opened again, for a test that closed it (a restart); closed after the test. */
  public Database reopen() {
    db = Database.open(handle.url(), handle.user(), handle.password());
    return db;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    handle = TestDatabases.create();
    db = Database.open(handle.url(), handle.user(), handle.password());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      if (db != null) db.close();
    } finally {
      handle.close();
    }
  }
}
