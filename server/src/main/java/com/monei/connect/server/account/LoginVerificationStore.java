package com.monei.connect.server.account;

import java.time.Instant;
import java.util.Optional;

/** Sign-ins waiting for their second step, by the hash of their random id. */
public interface LoginVerificationStore {
  /** A waiting sign-in: whose, where the browser goes afterwards, and until when it may finish. */
  record Waiting(String userId, String returnTo, Instant expiresAt) {}

  void save(String idHash, String userId, String returnTo, Instant expiresAt);

  /** The waiting sign-in {@code idHash}, expired or not (so the page can say it expired). */
  Optional<Waiting> find(String idHash);

  /** Removes it; true for the one caller that did, so a sign-in finishes at most once. */
  boolean delete(String idHash);
}
