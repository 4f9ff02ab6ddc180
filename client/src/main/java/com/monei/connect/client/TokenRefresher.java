package com.monei.connect.client;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * Refreshes a user's access token, one request at a time per user key: Monei rotates refresh
 * tokens and treats a used one, presented again after the grace window, as theft that revokes the
 * whole grant, so concurrent callers must share one refresh instead of racing.
 */
final class TokenRefresher {
  private final TokenStore store;
  private final TokenEndpointClient endpoint;
  private final Clock clock;
  private final ConcurrentMap<String, CompletableFuture<StoredTokens>> inFlight = new ConcurrentHashMap<>();

  TokenRefresher(TokenStore store, TokenEndpointClient endpoint, Clock clock) {
    this.store = store;
    this.endpoint = endpoint;
    this.clock = clock;
  }

  /**
   * Fresh tokens for {@code userKey}, replacing {@code stale} (those the caller found expiring or
   * refused). Joins a refresh already running for the user rather than starting a second one.
   */
  StoredTokens refresh(String userKey, StoredTokens stale) {
    CompletableFuture<StoredTokens> mine = new CompletableFuture<>();
    CompletableFuture<StoredTokens> running = inFlight.putIfAbsent(userKey, mine);
    if (running != null) return await(running);
    try {
      StoredTokens fresh = refreshNow(userKey, stale);
      mine.complete(fresh);
      return fresh;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(userKey, mine);
    }
  }

  private StoredTokens refreshNow(String userKey, StoredTokens stale) {
    Optional<StoredTokens> stored = store.load(userKey);
    if (stored.isEmpty()) throw notConnected();
    StoredTokens current = stored.get();
    // Another caller refreshed between our load and now: its result is the one to use, and our
    // refresh token is already spent.
    if (!same(current.refreshToken(), stale.refreshToken()) || !current.accessToken().equals(stale.accessToken()))
      return current;
    if (current.refreshToken() == null) {
      store.delete(userKey);
      throw new GrantRevokedException(0, null, "The access token expired and Monei issued no refresh token; "
          + "the user must connect again.");
    }
    TokenResponse response;
    try {
      response = endpoint.refresh(current.refreshToken());
    } catch (TokenRequestException e) {
      if (ErrorCodes.INVALID_GRANT.equals(e.error())) {
        forget(userKey, current);
        throw new GrantRevokedException(e.status(), e.error(), e.description() != null ? e.description()
            : "The grant was revoked or has expired; the user must connect again.").withRequestId(e.requestId());
      }
      throw e;
    }
    StoredTokens fresh = response.toStored(clock.instant(), current.refreshToken(), current.scopes());
    // Saved before anyone uses the new access token: the old refresh token dies with this rotation.
    store.save(userKey, fresh);
    return fresh;
  }

  /** Deletes the refused tokens, unless a new connection replaced them meanwhile. */
  private void forget(String userKey, StoredTokens refused) {
    Optional<StoredTokens> now = store.load(userKey);
    if (now.isPresent() && same(now.get().refreshToken(), refused.refreshToken())) store.delete(userKey);
  }

  static NotConnectedException notConnected() {
    return new NotConnectedException("No Monei grant is stored for this user; connect first.");
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  private static StoredTokens await(CompletableFuture<StoredTokens> running) {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for a token refresh"));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException(cause);
    }
  }
}
