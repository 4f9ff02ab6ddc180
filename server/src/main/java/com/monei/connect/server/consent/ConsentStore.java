package com.monei.connect.server.consent;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Remembered consents, one per user and app. */
public interface ConsentStore {
  Optional<Consent> find(String clientId, String userId);

  /**
   * Removes {@code withdrawn} from and adds {@code granted} to what the user has allowed the app
   * (creating the consent when there is none) and returns the result. Must be safe when many
   * requests grant at once (several tabs): it never fails on a uniqueness race and never loses a
   * scope another request added. A non-null {@code sendLimit} replaces the stored one.
   */
  Consent grant(String clientId, String userId, Set<String> granted, Set<String> withdrawn,
      Consent.SendLimit sendLimit, Instant now);

  /** Adds scopes to the consent, withdrawing none. */
  default Consent grant(String clientId, String userId, Set<String> granted, Consent.SendLimit sendLimit, Instant now) {
    return grant(clientId, userId, granted, Set.of(), sendLimit, now);
  }

  void forget(String clientId, String userId);

  /** Replaces the stored send limit and threshold of an existing consent; false when there is none. */
  boolean changeSendLimit(String clientId, String userId, Consent.SendLimit sendLimit, Instant now);

  /**
   * Holds the consent's row until the transaction ends, so the sends of one grant are decided one
   * at a time and its 24-hour limit cannot be overrun by concurrent sends. No-op without a consent.
   */
  void holdForSend(String clientId, String userId);

  /** The user's consents, oldest first. */
  java.util.List<Consent> forUser(String userId);
}
