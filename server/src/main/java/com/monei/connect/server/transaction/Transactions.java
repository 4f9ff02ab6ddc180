package com.monei.connect.server.transaction;

import java.util.function.Supplier;

/**
 * One use case, one transaction. Store calls made inside {@code work} on this thread join it; the
 * work may run more than once when the database asks for a retry (serialization failure), so it
 * must have no side effects outside the database.
 */
public interface Transactions {
  <T> T inTransaction(Supplier<T> work);

  /**
   * A transaction whose decisions are made by guarded single-row updates (a send's balance debit,
   * a code or refresh token marked used only if still unused): on PostgreSQL it runs at READ
   * COMMITTED, so concurrent requests queue on the rows they share instead of failing
   * serialization on unrelated ones and retrying. Same retry rules otherwise.
   */
  <T> T inRowLockingTransaction(Supplier<T> work);

  default void inTransaction(Runnable work) {
    inTransaction(() -> {
      work.run();
      return null;
    });
  }
}
