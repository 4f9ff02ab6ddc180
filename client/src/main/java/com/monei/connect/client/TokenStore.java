package com.monei.connect.client;

import java.util.Optional;

/**
 * Where the SDK keeps each user's tokens, keyed by the app's own user identifier. The default,
 * {@link InMemoryTokenStore}, forgets everything on restart; a real app implements this over its
 * database (encrypting the tokens at rest).
 *
 * <p>Implementations must be thread-safe. {@link #save} must be durable before it returns: the SDK
 * saves the rotated refresh token before it uses the new access token, and the previous refresh
 * token stops working on the server shortly after, so a lost save means the user must reconnect.
 * The SDK refreshes once at a time per user key within one {@link MoneiConnect} instance; when
 * several processes share one store, Monei's 30-second grace window answers a concurrent refresh
 * with the same token pair, so the last save wins without harm.
 */
public interface TokenStore {

  /** The tokens stored for {@code userKey}, or empty when the user has not connected. */
  Optional<StoredTokens> load(String userKey);

  /** Stores {@code tokens} for {@code userKey}, replacing any stored before. */
  void save(String userKey, StoredTokens tokens);

  /** Forgets the tokens of {@code userKey}; does nothing when none are stored. */
  void delete(String userKey);
}
