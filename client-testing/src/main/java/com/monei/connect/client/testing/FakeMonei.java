package com.monei.connect.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A fake Monei for an app's own tests: the JDK's HTTP server on a free localhost port that plays the
 * authorization server and the wallet and profile APIs closely enough for the real SDK, so an app tests
 * its integration without a running Monei. It has one registered confidential app ({@link #clientId()},
 * {@link #clientSecret()}, {@link #redirectUri()}) and one user with balances; the user approves every
 * authorization at once with the scopes asked for (or those given to {@link #approve(URI, String...)}).
 *
 * <pre>{@code
 * try (FakeMonei fake = FakeMonei.start().balance("NGN", "5000.00")) {
 *   MoneiConnect monei = MoneiConnect.builder().issuer(fake.issuer()).clientId(fake.clientId())
 *       .clientSecret(fake.clientSecret()).redirectUri(fake.redirectUri()).build();
 *   AuthorizationRequest pending = monei.authorizationRequest(Scopes.WALLET_READ, Scopes.WALLET_SEND);
 *   String callbackQuery = fake.approve(pending.url());            // the user says yes
 *   monei.handleCallback(callbackQuery, pending, "user-1");
 *   Wallet wallet = monei.wallet("user-1").me();                   // NGN 5000.00
 *   fake.failNext(503, "temporarily_unavailable");                 // the SDK retries it
 *   fake.revokeGrants();                                           // next call: GrantRevokedException
 * }
 * }</pre>
 *
 * <p>It serves {@code GET /connect/authorize} (redirects to the redirect URI with {@code code},
 * {@code state} and {@code iss}), {@code POST /api/v1/connect/token} (code exchange with the PKCE check,
 * refresh with rotation: a used refresh token is refused with {@code invalid_grant}),
 * {@code POST /api/v1/connect/revoke}, {@code GET /api/v1/wallet/me}, {@code GET /api/v1/wallet/transactions},
 * {@code POST /api/v1/wallet/send} (one send per {@code Idempotency-Key}; the same key with another body is
 * {@code 409 idempotency_key_reused}) and {@code GET /api/v1/profile/me}. Scopes are enforced
 * ({@code 403 insufficient_scope}). It is not Monei: no send limits, no pages, no persistence, and
 * error cases are those the knobs set up ({@link #failNext}, {@link #confirmSendsAbove},
 * {@link #expireAccessTokens}, {@link #revokeGrants}). Thread-safe; close it after the test.
 */
public final class FakeMonei implements AutoCloseable {
  private static final String CLIENT_ID = "mci_fake_app";
  private static final String CLIENT_SECRET = "mcs_fake_secret";
  private static final String REDIRECT_URI = "http://localhost/monei/callback";
  private static final String WALLET_ID = "wal_fake_user";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Code(String redirectUri, String challenge, Set<String> scopes) {}

  private record Grant(Set<String> scopes) {}

  private record Failure(int status, String error) {}

  private static final class Send {
    final String body;
    String confirmationId;
    boolean confirmed;
    Map<String, Object> result;

    Send(String body) {
      this.body = body;
    }
  }

  private final HttpServer server;
  private final Map<String, BigDecimal> balances = new LinkedHashMap<>();
  private final List<Map<String, Object>> transactions = new ArrayList<>();
  private final Map<String, Code> codes = new HashMap<>();
  private final Map<String, Grant> accessTokens = new HashMap<>();
  private final Map<String, Grant> refreshTokens = new HashMap<>();
  private final Map<String, Send> sendsByKey = new HashMap<>();
  private final Map<String, Send> sendsByConfirmation = new HashMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private BigDecimal confirmAbove;
  private int sendsExecuted;
  private int requests;

  private FakeMonei() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** A fake Monei on a free localhost port, with an empty wallet; {@link #close()} stops it. */
  public static FakeMonei start() {
    return new FakeMonei();
  }

  /** The issuer URL to build {@code MoneiConnect} against, e.g. {@code http://127.0.0.1:41234}. */
  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The registered app's client id. */
  public String clientId() {
    return CLIENT_ID;
  }

  /** The registered app's client secret (the app is confidential; a public app leaves it out and uses PKCE). */
  public String clientSecret() {
    return CLIENT_SECRET;
  }

  /** The registered redirect URI; the authorize endpoint accepts only this one. */
  public String redirectUri() {
    return REDIRECT_URI;
  }

  /** The fake user's wallet id, which {@code GET /api/v1/wallet/me} answers. */
  public String walletId() {
    return WALLET_ID;
  }

  /** Sets the user's available balance in {@code currency} (e.g. {@code "NGN", "5000.00"}). */
  public synchronized FakeMonei balance(String currency, String available) {
    balances.put(currency, new BigDecimal(available));
    return this;
  }

  /** The user's available balance in {@code currency}, zero when the wallet holds none. */
  public synchronized BigDecimal balanceOf(String currency) {
    return balances.getOrDefault(currency, BigDecimal.ZERO);
  }

  /**
   * The user approves {@code authorizationUrl} (an {@code AuthorizationRequest}'s {@code url()}) with
   * {@code scopes}, or with the scopes it asks for when none are given; returns the callback's query
   * string ({@code code}, {@code state}, {@code iss}) for {@code MoneiConnect.handleCallback}.
   */
  public String approve(URI authorizationUrl, String... scopes) {
    Map<String, String> params = parse(authorizationUrl.getRawQuery());
    if (!CLIENT_ID.equals(params.get("client_id")) || !REDIRECT_URI.equals(params.get("redirect_uri")))
      throw new IllegalArgumentException("Not an authorization request of the fake's app: " + authorizationUrl);
    Set<String> granted = scopes.length > 0 ? new LinkedHashSet<>(Arrays.asList(scopes)) : scopesOf(params);
    String code = "mcc_" + random();
    synchronized (this) {
      codes.put(code, new Code(params.get("redirect_uri"), params.get("code_challenge"), granted));
    }
    return "code=" + encode(code) + "&state=" + encode(params.getOrDefault("state", "")) + "&iss=" + encode(issuer());
  }

  /** The user denies {@code authorizationUrl}; returns the callback's query string ({@code error=access_denied}). */
  public String deny(URI authorizationUrl) {
    Map<String, String> params = parse(authorizationUrl.getRawQuery());
    return "error=access_denied&state=" + encode(params.getOrDefault("state", "")) + "&iss=" + encode(issuer());
  }

  /**
   * The next request (any endpoint) answers {@code status} with {@code error}, e.g. {@code 503,
   * "temporarily_unavailable"} or {@code 429, "rate_limited"}; calls queue, one failure per request.
   */
  public synchronized FakeMonei failNext(int status, String error) {
    failures.add(new Failure(status, error));
    return this;
  }

  /**
   * Sends of more than {@code amount} answer {@code 403 confirmation_required} until {@link #confirm}
   * is called with the confirmation id; the app then repeats the send with its Idempotency-Key.
   */
  public synchronized FakeMonei confirmSendsAbove(String amount) {
    confirmAbove = new BigDecimal(amount);
    return this;
  }

  /** The user confirms the send awaiting {@code confirmationId} in Monei. */
  public synchronized void confirm(String confirmationId) {
    Send send = sendsByConfirmation.get(confirmationId);
    if (send == null) throw new IllegalArgumentException("No send awaits " + confirmationId);
    send.confirmed = true;
  }

  /** Every access token issued so far answers {@code 401 invalid_token}, so the SDK refreshes. */
  public synchronized void expireAccessTokens() {
    accessTokens.clear();
  }

  /**
   * The user disconnects the app in Monei: every token is revoked, so the next call is a
   * {@code 401} and its refresh an {@code invalid_grant} ({@code GrantRevokedException} in the SDK).
   */
  public synchronized void revokeGrants() {
    accessTokens.clear();
    refreshTokens.clear();
  }

  /** How many sends moved money; a repeat answered from its Idempotency-Key does not count. */
  public synchronized int sendsExecuted() {
    return sendsExecuted;
  }

  /** How many HTTP requests the fake has answered, failures included. */
  public synchronized int requestCount() {
    return requests;
  }

  /** How many grants are live (refresh tokens not yet used or revoked). */
  public synchronized int liveGrants() {
    return refreshTokens.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Answer answer;
      try {
        answer = answer(exchange, body);
      } catch (RuntimeException e) {
        // Malformed input from an app under test is its bug to see, as a 400, not the fake's 500.
        answer = error(400, "invalid_request", String.valueOf(e.getMessage()));
      }
      answer.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      byte[] bytes = answer.body == null ? new byte[0] : JSON.writeValueAsBytes(answer.body);
      if (answer.body != null) exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    }
  }

  private record Answer(int status, Object body, Map<String, String> headers) {}

  private synchronized Answer answer(HttpExchange exchange, String body) {
    requests++;
    Failure failure = failures.poll();
    if (failure != null) return error(failure.status, failure.error, "Set up by the test.");
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String route = method + " " + path;
    return switch (route) {
      case "GET /connect/authorize" -> authorize(exchange.getRequestURI());
      case "POST /api/v1/connect/token" -> token(exchange, parse(body));
      case "POST /api/v1/connect/revoke" -> revoke(parse(body));
      case "GET /api/v1/wallet/me", "GET /api/v1/wallet/transactions", "POST /api/v1/wallet/send",
          "GET /api/v1/profile/me" -> api(exchange, path, body);
      default -> error(404, "not_found", "No such endpoint in the fake: " + route);
    };
  }

  private Answer authorize(URI uri) {
    Map<String, String> params = parse(uri.getRawQuery());
    if (!REDIRECT_URI.equals(params.get("redirect_uri")) || !CLIENT_ID.equals(params.get("client_id")))
      return error(400, "invalid_request", "Unknown client_id or redirect_uri.");
    String query = approve(uri);
    return new Answer(302, null, Map.of("Location", REDIRECT_URI + "?" + query));
  }

  private Answer token(HttpExchange exchange, Map<String, String> form) {
    if (!clientAuthenticated(exchange.getRequestHeaders().getFirst("Authorization"), form))
      return error(401, "invalid_client", "Client authentication failed.");
    String grantType = form.getOrDefault("grant_type", "");
    if (grantType.equals("authorization_code")) {
      Code code = codes.remove(form.getOrDefault("code", ""));
      if (code == null || !code.redirectUri.equals(form.get("redirect_uri")))
        return error(400, "invalid_grant", "The code is unknown, used or for another redirect_uri.");
      if (code.challenge != null && !code.challenge.equals(challenge(form.get("code_verifier"))))
        return error(400, "invalid_grant", "The code_verifier does not match the code_challenge.");
      return issue(new Grant(code.scopes));
    }
    if (grantType.equals("refresh_token")) {
      // Rotation: a refresh token works once; its successor replaces it.
      Grant grant = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
      if (grant == null) return error(400, "invalid_grant", "The refresh token is unknown, used or revoked.");
      return issue(grant);
    }
    return error(400, "unsupported_grant_type", "Use authorization_code or refresh_token.");
  }

  private boolean clientAuthenticated(String authorization, Map<String, String> form) {
    if (authorization == null || !authorization.startsWith("Basic ")) return CLIENT_ID.equals(form.get("client_id"));
    String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    return colon > 0 && CLIENT_ID.equals(decode(decoded.substring(0, colon)))
        && CLIENT_SECRET.equals(decode(decoded.substring(colon + 1)));
  }

  private Answer issue(Grant grant) {
    String access = "mct_" + random();
    String refresh = "mcr_" + random();
    accessTokens.put(access, grant);
    refreshTokens.put(refresh, grant);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", access);
    body.put("refresh_token", refresh);
    body.put("token_type", "Bearer");
    body.put("expires_in", 3600);
    body.put("scopes", List.copyOf(grant.scopes));
    body.put("scope", String.join(" ", grant.scopes));
    return new Answer(200, body, Map.of("Cache-Control", "no-store"));
  }

  private Answer revoke(Map<String, String> form) {
    String token = form.getOrDefault("token", "");
    Grant grant = refreshTokens.containsKey(token) ? refreshTokens.get(token) : accessTokens.get(token);
    // RFC 7009 §2.1: revoking one token of a grant ends the whole grant.
    if (grant != null) {
      refreshTokens.values().removeIf(g -> g == grant);
      accessTokens.values().removeIf(g -> g == grant);
    }
    return new Answer(200, null, Map.of());
  }

  private Answer api(HttpExchange exchange, String path, String body) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Grant grant = authorization == null || !authorization.startsWith("Bearer ") ? null
        : accessTokens.get(authorization.substring(7));
    if (grant == null) {
      return new Answer(401, Map.of("error", "invalid_token", "error_description", "The access token is not valid."),
          Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }
    String scope = path.equals("/api/v1/profile/me") ? "profile:read"
        : path.equals("/api/v1/wallet/send") ? "wallet:send" : "wallet:read";
    if (!grant.scopes.contains(scope)) {
      return new Answer(403, Map.of("error", "insufficient_scope", "error_description", "Needs " + scope + "."),
          Map.of("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\""));
    }
    return switch (path) {
      case "/api/v1/wallet/me" -> new Answer(200, wallet(), Map.of());
      case "/api/v1/wallet/transactions" -> {
        Map<String, Object> page = new LinkedHashMap<>();
        List<Map<String, Object>> newestFirst = new ArrayList<>(transactions);
        Collections.reverse(newestFirst);
        page.put("data", newestFirst);
        page.put("next_cursor", null);
        yield new Answer(200, page, Map.of());
      }
      case "/api/v1/wallet/send" -> send(exchange.getRequestHeaders().getFirst("Idempotency-Key"), body);
      default -> new Answer(200, Map.of("id", "usr_fake_user", "name", "Ada Fake", "email", "ada@example.com"),
          Map.of());
    };
  }

  private Map<String, Object> wallet() {
    List<Map<String, String>> list = new ArrayList<>();
    balances.forEach((currency, amount) -> list.add(Map.of("currency", currency, "available", amount.toPlainString())));
    Map<String, Object> wallet = new LinkedHashMap<>();
    wallet.put("wallet_id", WALLET_ID);
    wallet.put("balances", list);
    wallet.put("updated_at", Instant.now().toString());
    return wallet;
  }

  private Answer send(String key, String body) {
    if (key == null || key.isBlank()) return error(400, "invalid_request", "The Idempotency-Key header is missing.");
    Send send = sendsByKey.get(key);
    if (send != null && !send.body.equals(body))
      return error(409, "idempotency_key_reused", "This Idempotency-Key was used with another request.");
    if (send != null && send.result != null) return new Answer(201, send.result, Map.of());
    JsonNode request = readJson(body);
    String to = request.path("to").asText("");
    String currency = request.path("currency").asText("");
    BigDecimal amount = new BigDecimal(request.path("amount").asText(""));
    if (to.isBlank() || amount.signum() <= 0) return error(400, "invalid_request", "to and a positive amount, please.");
    if (send == null) {
      send = new Send(body);
      sendsByKey.put(key, send);
    }
    if (confirmAbove != null && amount.compareTo(confirmAbove) > 0 && !send.confirmed) {
      if (send.confirmationId == null) {
        send.confirmationId = "cfm_" + random();
        sendsByConfirmation.put(send.confirmationId, send);
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("error", "confirmation_required");
      answer.put("error_description", "The user must confirm this send in Monei.");
      answer.put("confirmation_id", send.confirmationId);
      answer.put("confirmation_url", issuer() + "/confirm/" + send.confirmationId);
      answer.put("expires_in", 600);
      return new Answer(403, answer, Map.of());
    }
    if (balanceOf(currency).compareTo(amount) < 0) {
      sendsByKey.remove(key);
      return error(422, "insufficient_funds", "The wallet holds less than " + amount + " " + currency + ".");
    }
    balances.put(currency, balanceOf(currency).subtract(amount));
    sendsExecuted++;
    Map<String, Object> transaction = new LinkedHashMap<>();
    transaction.put("id", "txn_" + random());
    transaction.put("type", "send");
    transaction.put("amount", amount.toPlainString());
    transaction.put("currency", currency);
    transaction.put("counterparty", Map.of("name", to));
    if (request.hasNonNull("note")) transaction.put("note", request.get("note").asText());
    transaction.put("status", "completed");
    transaction.put("created_at", Instant.now().toString());
    transactions.add(transaction);
    send.result = transaction;
    return new Answer(201, transaction, Map.of());
  }

  private static Answer error(int status, String error, String description) {
    Map<String, String> headers = status == 429 || status == 503 ? Map.of("Retry-After", "0") : Map.of();
    return new Answer(status, Map.of("error", error, "error_description", description), headers);
  }

  private static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("The body is not JSON.");
    }
  }

  private static Set<String> scopesOf(Map<String, String> params) {
    Set<String> scopes = new LinkedHashSet<>(Arrays.asList(params.getOrDefault("scope", "").trim().split("\\s+")));
    scopes.remove("");
    return scopes;
  }

  private static String challenge(String verifier) {
    if (verifier == null) return null;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> parse(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) return params;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) params.putIfAbsent(decode(pair), "");
      else params.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
    }
    return params;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static String random() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
