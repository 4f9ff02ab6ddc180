package com.monei.connect.server.account;

import java.time.Instant;

/**
 * Failed sign-ins by subject ({@code account:<hash>} or {@code ip:<address>}), shared by every
 * server process so limits hold across them. Every method runs inside the caller's transaction.
 */
public interface LoginFailureStore {
  /**
   * Holds {@code subject} until the current transaction ends, so another transaction's {@code lock}
   * on it waits: attempts on one subject count and record their failures one at a time, in every
   * process. Callers lock several subjects in one order (sorted) so two attempts never wait on each other.
   */
  void lock(String subject, Instant at);

  /** Failures of {@code subject} after {@code since}, including those of this transaction. */
  int countSince(String subject, Instant since);

  void record(String id, String subject, Instant at);

  /** Removes a failure recorded for an attempt that turned out to succeed; unknown ids are ignored. */
  void remove(String id);
}
