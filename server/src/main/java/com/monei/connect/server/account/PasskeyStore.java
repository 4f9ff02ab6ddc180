package com.monei.connect.server.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The users' passkeys and the single-use challenges of their ceremonies. */
public interface PasskeyStore {
  /** False when a passkey with that credential id is already stored (for anyone). */
  boolean insert(Passkey passkey);

  Optional<Passkey> findByCredentialId(String credentialId);

  /** The user's passkeys, oldest first. */
  List<Passkey> listOf(String userId);

  /** False when the user has no passkey {@code id}. */
  boolean rename(String id, String userId, String name);

  /** False when the user has no passkey {@code id}. */
  boolean delete(String id, String userId);

  int deleteAllOf(String userId);

  /**
   * Records a sign-in with the passkey, moving its counter to {@code signCount} unless another
   * sign-in already moved it there or beyond (a counter of 0 means the authenticator keeps none).
   * False when it had: the same assertion, or a clone's, was used twice.
   */
  boolean recordUse(String id, long signCount, Instant at);

  void saveChallenge(String challengeHash, String sessionHash, String purpose, String userId, Instant expiresAt);

  /**
   * Deletes the challenge when it was handed to {@code sessionHash} for {@code purpose} and has not
   * expired, and returns the user it was made for ("" when none). Of concurrent calls, at most one
   * gets it.
   */
  Optional<String> consumeChallenge(String challengeHash, String sessionHash, String purpose, Instant now);
}
