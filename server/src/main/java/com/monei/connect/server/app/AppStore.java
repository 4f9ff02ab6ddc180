package com.monei.connect.server.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Registered apps, their secrets (hashed), redirect URIs and logos. */
public interface AppStore {
  Optional<RegisteredApp> find(String clientId);

  void create(RegisteredApp app, String secretHash, Logo logo, Instant now);

  /**
   * The app with the hashes of its secrets that are valid at {@code now} (the current one, and any
   * in overlap), in one read: every token, revocation and introspection request authenticates.
   */
  Optional<WithSecrets> findWithSecrets(String clientId, Instant now);

  /** An app and the hashes of its valid secrets (none for a public app). */
  record WithSecrets(RegisteredApp app, List<String> validSecretHashes) {}

  Optional<Logo> logo(String clientId);

  /** Marks the app as verified by an operator; false when there is no such app. */
  boolean markVerified(String clientId);

  /** Replaces the app's stored logo, when it has one (a logo stored before Monei re-encoded uploads). */
  void replaceLogo(String clientId, Logo logo);

  /**
   * The apps owned by {@code userId}, oldest first, each with its redirect URIs in order. Apps
   * registered without an owner (by an operator) belong to nobody and are never listed.
   */
  List<RegisteredApp> ownedBy(String userId);

  /** Replaces the app's redirect URIs with {@code uris}, in that order, in one transaction. */
  void replaceRedirectUris(String clientId, List<String> uris);

  /**
   * Makes {@code newSecretHash} the app's current secret. Every secret that was current until now
   * (no expiry) stops being valid at {@code previousExpiresAt}; secrets rotated out earlier keep
   * their own, earlier expiry; secrets already expired at {@code now} are deleted. One transaction,
   * so a concurrent rotation never leaves two secrets without an expiry.
   */
  void rotateSecret(String clientId, String newSecretHash, Instant now, Instant previousExpiresAt);

  /**
   * Deletes every secret rotated out of use, whether or not its overlap is over, so that from now
   * on only the current secret authenticates the app. Returns how many were deleted.
   */
  int deletePreviousSecrets(String clientId);

  /** When the last previous secret still valid at {@code now} expires; empty when none is in its overlap. */
  Optional<Instant> previousSecretExpiry(String clientId, Instant now);

  /**
   * Deletes the app. Its secrets, redirect URIs, logo, consents, pending requests, codes and token
   * families (with their tokens) go with it through the schema's ON DELETE CASCADE. Returns false
   * when there was no such app.
   */
  boolean delete(String clientId);
}
