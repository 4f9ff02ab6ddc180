package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * Calls the API as one user: loads the user's tokens, refreshes them when they are about to expire
 * or when the API answers 401, and turns errors into typed exceptions.
 */
final class ApiClient {
  private final Transport transport;
  private final URI base;
  private final TokenStore store;
  private final TokenRefresher refresher;
  private final Clock clock;
  private final Duration refreshSkew;

  ApiClient(Transport transport, URI base, TokenStore store, TokenRefresher refresher, Clock clock,
      Duration refreshSkew) {
    this.transport = transport;
    this.base = base;
    this.store = store;
    this.refresher = refresher;
    this.clock = clock;
    this.refreshSkew = refreshSkew;
  }

  <T> T get(String userKey, String path, Function<JsonNode, T> parse) {
    URI uri = resolve(path);
    return call(userKey, token -> transport.request(uri).header("Authorization", "Bearer " + token).GET().build(),
        parse);
  }

  <T> T postJson(String userKey, String path, String json, String idempotencyKey, Function<JsonNode, T> parse) {
    URI uri = resolve(path);
    return call(userKey, token -> transport.request(uri).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), parse);
  }

  private <T> T call(String userKey, Function<String, HttpRequest> request, Function<JsonNode, T> parse) {
    StoredTokens tokens = store.load(userKey).orElseThrow(TokenRefresher::notConnected);
    if (tokens.refreshToken() != null && tokens.expiresWithin(tokens.refreshSkew(refreshSkew), clock.instant()))
      tokens = refresher.refresh(userKey, tokens);
    HttpResponse<String> response = transport.send(request.apply(tokens.accessToken()));
    // RFC 6750 §3.1: invalid_token covers "expired, revoked, malformed, or invalid"; one refresh may
    // cure the first two (a revoked access token, a clock that disagrees with the server's), so
    // refresh once and retry once. A send carries its Idempotency-Key, so the retry cannot pay twice.
    if (response.statusCode() == 401) {
      tokens = refresher.refresh(userKey, tokens);
      response = transport.send(request.apply(tokens.accessToken()));
    }
    if (response.statusCode() / 100 != 2) throw ApiErrors.from(response, base, clock.instant());
    try {
      return parse.apply(Json.object(response.body()));
    } catch (Json.MalformedJson e) {
      throw new MoneiApiException(response.statusCode(), null, "Unexpected response from Monei: " + e.getMessage())
          .withRequestId(ApiErrors.requestId(response, null));
    }
  }

  private URI resolve(String path) {
    String root = base.toString();
    return URI.create(root.endsWith("/") ? root.substring(0, root.length() - 1) + path : root + path);
  }
}
