package com.monei.connect.server.wallet;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders ledger entries: the clock in microseconds, but never the same or smaller twice in this
 * process. Across processes the clocks agree closely enough, and the id breaks any tie.
 */
public final class LedgerSequence {
  private static final AtomicLong LAST = new AtomicLong();

  private LedgerSequence() {}

  public static long next(Instant now) {
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return LAST.updateAndGet(last -> Math.max(last + 1, micros));
  }
}
