package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.support.FreshDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Database.read, the hot-path reads on statements kept prepared per connection: a reused statement
 * never answers with stale rows or the previous call's parameters, it joins the current
 * transaction, and a bad statement fails without naming its arguments.
 */
class CachedReadTest {
  private static final String NAME_OF = "SELECT name FROM currencies_test WHERE code = ?";

  @RegisterExtension final FreshDatabase database = new FreshDatabase();
  Database db;

  @BeforeEach
  void open() {
    db = database.db();
    db.update("CREATE TABLE currencies_test (code TEXT PRIMARY KEY, name TEXT NOT NULL)");
    db.update("INSERT INTO currencies_test VALUES ('NGN', 'Naira'), ('USD', 'Dollar')");
  }

  private Optional<String> nameOf(String code) {
    return db.read(NAME_OF, rs -> rs.next() ? Optional.of(rs.getString("name")) : Optional.<String>empty(), code);
  }

  @Test
  void aReusedStatementSeesEveryCommittedChangeAndTheNewParameters() {
    assertThat(nameOf("NGN")).contains("Naira");
    assertThat(nameOf("USD")).contains("Dollar");
    assertThat(nameOf("EUR")).isEmpty();
    db.update("UPDATE currencies_test SET name = 'Nigerian naira' WHERE code = 'NGN'");
    assertThat(nameOf("NGN")).contains("Nigerian naira");
    db.update("DELETE FROM currencies_test WHERE code = 'USD'");
    assertThat(nameOf("USD")).isEmpty();
  }

  @Test
  void insideATransactionItReadsThatTransactionsOwnWrites() {
    String seen = db.inTransaction(() -> {
      db.update("INSERT INTO currencies_test VALUES ('GHS', 'Cedi')");
      return nameOf("GHS").orElse("missing");
    });
    assertThat(seen).isEqualTo("Cedi");
  }

  @Test
  void aRolledBackWriteIsNotSeenAfterwards() {
    assertThatThrownBy(() -> db.inTransaction(() -> {
      db.update("INSERT INTO currencies_test VALUES ('KES', 'Shilling')");
      throw new IllegalStateException("abort");
    })).hasMessage("abort");
    assertThat(nameOf("KES")).isEmpty();
  }

  @Test
  void manyThreadsShareThePoolsConnectionsAndStatements() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        String code = i % 2 == 0 ? "NGN" : "USD";
        String expected = i % 2 == 0 ? "Naira" : "Dollar";
        Callable<Boolean> read = () -> nameOf(code).orElseThrow().equals(expected);
        results.add(pool.submit(read));
      }
      for (Future<Boolean> r : results) assertThat(r.get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
    // One set of statements per pooled connection, not one per call.
    assertThat(db.cachedConnections()).isBetween(1, 16);
  }

  @Test
  void columnsAreReadByTheirLabelsWhateverTheirPositionAndAnUnknownOneFailsByName() {
    for (int i = 0; i < 3; i++) {
      assertThat(db.findOne("SELECT name AS label, code FROM currencies_test WHERE code = ?",
          row -> row.getString("code") + "=" + row.getString("LABEL"), "NGN")).contains("NGN=Naira");
    }
    assertThatThrownBy(() -> db.findOne("SELECT code FROM currencies_test WHERE code = ?",
        row -> row.getString("name"), "NGN"))
        .isInstanceOf(DatabaseException.class)
        .hasRootCauseMessage("no such column in the result: name");
  }

  @Test
  void aBadStatementNamesTheStatementButNotItsArguments() {
    assertThatThrownBy(() -> db.read("SELECT nope FROM currencies_test WHERE code = ?", rs -> rs.next(), "secret-arg"))
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("SELECT nope FROM currencies_test")
        .hasMessageNotContaining("secret-arg");
    // The connection stays usable.
    assertThat(nameOf("NGN")).contains("Naira");
  }
}
