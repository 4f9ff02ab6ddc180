package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.support.FreshDatabase;
import com.monei.connect.server.wallet.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Currencies are kept in memory once found (only migrations write them), but a code not found is
 * looked up again: a currency a later migration adds is seen without a restart.
 */
class LedgerCurrencyTest {
  @RegisterExtension final FreshDatabase database = new FreshDatabase();

  @Test
  void currencyWhenNotFoundThenAddedThenFoundWithItsMinorUnits() {
    Database db = database.db();
    JdbcLedgerStore ledger = new JdbcLedgerStore(db);
    assertThat(ledger.currency("XTS")).isEmpty();

    db.update("INSERT INTO currencies (code, minor_units) VALUES ('XTS', 3)");

    assertThat(ledger.currency("XTS")).map(Currency::minorUnits).contains(3);
    // Only migrations write currencies, so once found one is not read again: even a row removed behind
    // the store's back (which nothing in Monei does) is still answered from memory.
    db.update("DELETE FROM currencies WHERE code = 'XTS'");
    assertThat(ledger.currency("XTS")).as("again, from memory").map(Currency::minorUnits).contains(3);
    assertThat(ledger.currency("NGN")).map(Currency::minorUnits).contains(2);
  }
}
