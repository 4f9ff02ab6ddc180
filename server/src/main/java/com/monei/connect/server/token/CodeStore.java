package com.monei.connect.server.token;

import java.time.Instant;
import java.util.Optional;

/** Authorization codes, stored and found only by hash. */
public interface CodeStore {
  void save(AuthorizationCode code);

  Optional<AuthorizationCode> find(String codeHash);

  /**
   * Marks the code used by the family it was exchanged for. Returns false when it was already used:
   * the conditional update is what makes a code single-use when two exchanges race.
   */
  boolean markUsed(String codeHash, String familyId, Instant now);
}
