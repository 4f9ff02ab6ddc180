package com.monei.connect.client;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link TokenStore} in a concurrent map: the default, fine for tests, demos and a single process
 * whose users may reconnect after a restart.
 */
public final class InMemoryTokenStore implements TokenStore {
  private final ConcurrentMap<String, StoredTokens> tokens = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryTokenStore() {}

  @Override
  public Optional<StoredTokens> load(String userKey) {
    return Optional.ofNullable(tokens.get(Objects.requireNonNull(userKey, "userKey")));
  }

  @Override
  public void save(String userKey, StoredTokens value) {
    tokens.put(Objects.requireNonNull(userKey, "userKey"), Objects.requireNonNull(value, "tokens"));
  }

  @Override
  public void delete(String userKey) {
    tokens.remove(Objects.requireNonNull(userKey, "userKey"));
  }

  /** How many users have tokens stored. */
  public int size() {
    return tokens.size();
  }

  @Override
  public String toString() {
    return "InMemoryTokenStore[" + tokens.size() + " users]";
  }
}
