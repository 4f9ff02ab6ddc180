package com.monei.connect.server.account;

import java.util.List;

/** The users' unused recovery codes, by hash only. */
public interface RecoveryCodeStore {
  /** Makes {@code codeHashes} the user's only recovery codes. */
  void replaceAll(String userId, List<String> codeHashes);

  /**
   * Removes the user's code {@code codeHash}; true when it was there. Of concurrent calls for one
   * code at most one gets true, so a code works once ever.
   */
  boolean consume(String userId, String codeHash);

  int count(String userId);

  /** Removes every code of the user; returns how many there were. */
  int deleteAll(String userId);
}
