package com.monei.connect.server.account;

import java.time.Instant;
import java.util.Optional;

/** The users' authenticator-app secrets, sealed (never in plain text), pending or confirmed. */
public interface TotpStore {
  /** A user's row: {@code sealedSecret} as {@link TwoStepVerification} sealed it. */
  record Stored(String sealedSecret, boolean confirmed, long lastUsedStep) {}

  Optional<Stored> find(String userId);

  /**
   * Stores a pending secret for the user in place of any pending one; false, changing nothing, when
   * the user has a confirmed secret.
   */
  boolean savePending(String userId, String sealedSecret, Instant now);

  /**
   * Confirms the pending secret {@code sealedSecret} of the user, with {@code step} as its last used
   * step; false when the user has no such pending secret (another enrolment replaced it meanwhile).
   */
  boolean confirm(String userId, String sealedSecret, long step, Instant now);

  /**
   * Records {@code step} as the user's last used step if it is later than the one recorded, and
   * only for a confirmed secret; true when it was. Of concurrent calls with one step, in one process
   * or several, at most one gets true.
   */
  boolean useStep(String userId, long step);

  /** Removes the user's secret, pending or confirmed; false when there was none. */
  boolean delete(String userId);
}
