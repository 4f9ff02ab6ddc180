package com.monei.connect.server.storage;

import java.util.function.Supplier;

/**
 * One use case, one transaction. Store calls made inside {@code work} on this thread join it; the
 * work may run more than once when the database asks for a retry (serialization failure), so it
 * must have no side effects outside the database.
 */
public interface Transactions {
  <T> T inTransaction(Supplier<T> work);

  /**
   * A transaction for hot rows (money): on PostgreSQL it runs at READ COMMITTED and the work takes
   * its own row locks through guarded updates, in a fixed order, so concurrent sends queue on the
   * rows they share instead of failing serialization and retrying. Same retry rules otherwise.
   */
  <T> T inRowLockingTransaction(Supplier<T> work);

  default void inTransaction(Runnable work) {
    inTransaction(() -> {
      work.run();
      return null;
    });
  }
}
