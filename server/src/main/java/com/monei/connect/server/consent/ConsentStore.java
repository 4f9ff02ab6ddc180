package com.monei.connect.server.consent;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Remembered consents, one per user and app. */
public interface ConsentStore {
  Optional<Consent> find(String clientId, String userId);

  /**
   * Adds {@code scopes} to what the user has granted the app (creating the consent when there is
   * none) and returns the union. Must be safe when many requests grant at once (several tabs): it
   * never fails on a uniqueness race and never loses a scope another request added. A non-null
   * {@code sendLimit} replaces the stored one.
   */
  Consent grant(String clientId, String userId, Set<String> scopes, Consent.SendLimit sendLimit, Instant now);

  void forget(String clientId, String userId);

  /** The user's consents, oldest first. */
  java.util.List<Consent> forUser(String userId);
}
