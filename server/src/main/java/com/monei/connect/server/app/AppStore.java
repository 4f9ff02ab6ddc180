package com.monei.connect.server.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Registered apps, their secrets (hashed), redirect URIs and logos. */
public interface AppStore {
  Optional<RegisteredApp> find(String clientId);

  void create(RegisteredApp app, String secretHash, Logo logo, Instant now);

  /** Hashes of the app's secrets that are valid at {@code now} (the current one, and any in overlap). */
  List<String> validSecretHashes(String clientId, Instant now);

  Optional<Logo> logo(String clientId);
}
