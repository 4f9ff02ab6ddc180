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

  /**
   * Deletes the codes not yet exchanged of the user with the app (or with every app when
   * {@code clientId} is null), so a code issued before a disconnect or a password change cannot
   * start a new family afterwards. Used codes stay, so their replay is still recognised.
   */
  int discardUnused(String clientId, String userId);
}
