package com.monei.connect.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.TestServer.TestApp;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.TokenFormat;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The resource server of SPEC 1.6: bearer authentication (RFC 6750), scopes, and the wallet and profile calls. */
@WithTestServer
class BearerAuthTest {
  static TestServer server;
  static MoneiTestClient tokens;
  static MoneiTestClient http;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
    http = new MoneiTestClient();
  }

  /** What a test needs of one authorization: the user, the app and the token answer. */
  record Issued(User user, TestApp app, JsonNode tokens) {
    String access() {
      return tokens.get("access_token").asText();
    }

    String refresh() {
      return tokens.get("refresh_token").asText();
    }
  }

  // ---------------------------------------------------------------- no token, bad tokens

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/wallet/me", "/api/v1/profile/me"})
  void callWhenNoAuthorizationHeaderThen401WithBareBearerChallenge(String path) {
    HttpResponse<String> response = tokens.api(path, null);

    assertThat(response.statusCode()).isEqualTo(401);
    // RFC 6750 §3.1: "If the request lacks any authentication information ... the resource server SHOULD NOT
    // include an error code or other error information."
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    assertThat(challenge).startsWith("Bearer").doesNotContain("error=");
    assertErrorShape(response);
  }

  /** (a live issued grant -> Authorization header value). */
  static Stream<Arguments> invalidCredentials() {
    return Stream.of(
        tokenCase("mct_ and 49 random characters",
            i -> "Bearer " + notWellFormed("mct_" + TokenFormat.randomBase62(49))),
        tokenCase("issued token with a character changed",
            i -> "Bearer " + changeCharacter(i.access(), 10)),
        tokenCase("issued token with its checksum changed",
            i -> "Bearer " + changeCharacter(i.access(), i.access().length() - 1)),
        tokenCase("issued token cut short",
            i -> "Bearer " + i.access().substring(0, i.access().length() - 1)),
        tokenCase("issued token with a suffix",
            i -> "Bearer " + i.access() + "x"),
        tokenCase("well-formed token never issued",
            i -> "Bearer " + TokenFormat.generate(TokenFormat.ACCESS_TOKEN)),
        tokenCase("refresh token as access token", i -> "Bearer " + i.refresh()),
        tokenCase("refresh token re-prefixed as access token",
            i -> "Bearer mct_" + i.refresh().substring(4)),
        tokenCase("client secret as access token",
            i -> "Bearer " + i.app().clientSecret()),
        tokenCase("garbage", i -> "Bearer garbage"),
        tokenCase("Basic scheme", i -> "Basic xyz"),
        tokenCase("Basic scheme carrying the token", i -> "Basic " + i.access()),
        tokenCase("token without scheme", i -> i.access()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCredentials")
  void callWhenTokenInvalidThen401InvalidToken(String name, Function<Issued, String> authorization) {
    Issued issued = authorize(server.user(), server.app().create(), "wallet:read profile:read");
    String header = authorization.apply(issued);

    for (String path : List.of("/api/v1/wallet/me", "/api/v1/profile/me")) {
      HttpResponse<String> response = http.get(server.url() + path, "Authorization", header);

      assertInvalidToken(response);
    }
    assertThat(tokens.api("/api/v1/wallet/me", issued.access()).statusCode()).as("the real token").isEqualTo(200);
  }

  @Test
  void callWhenAccessTokenOlderThanOneHourThen401InvalidToken() {
    Issued issued = authorize(server.user(), server.app().create(), "wallet:read");

    server.advance(Duration.ofSeconds(3599));
    assertThat(tokens.api("/api/v1/wallet/me", issued.access()).statusCode()).isEqualTo(200);

    server.advance(Duration.ofSeconds(2));
    assertInvalidToken(tokens.api("/api/v1/wallet/me", issued.access()));
  }

  @Test
  void callWhenAccessTokenTtlConfiguredThenTokenExpiresAfterThatTtl() {
    // Own server: only this case needs an access-token lifetime other than the default.
    try (TestServer custom = TestServer.start(c -> c.withAccessTokenTtl(Duration.ofSeconds(60)))) {
      MoneiTestClient customTokens = new MoneiTestClient(custom);
      TestApp app = custom.app().create();
      MoneiTestClient flow = new MoneiTestClient(custom).signIn(custom.user());
      JsonNode answer = customTokens.exchangeOk(app, flow.approve(app, "wallet:read", List.of("wallet:read")));
      String access = answer.get("access_token").asText();

      assertThat(answer.get("expires_in").asInt()).isEqualTo(60);
      custom.advance(Duration.ofSeconds(59));
      assertThat(customTokens.api("/api/v1/wallet/me", access).statusCode()).isEqualTo(200);
      custom.advance(Duration.ofSeconds(2));
      assertInvalidToken(customTokens.api("/api/v1/wallet/me", access));
    }
  }

  // ---------------------------------------------------------------- token in the query string

  @ParameterizedTest(name = "Authorization header too: {0}")
  @ValueSource(booleans = {false, true})
  void callWhenAccessTokenInQueryStringThenInvalidRequest(boolean alsoInHeader) {
    Issued issued = authorize(server.user(), server.app().create(), "wallet:read");
    String url = server.url() + "/api/v1/wallet/me?access_token=" + issued.access();

    HttpResponse<String> response = alsoInHeader
        ? http.get(url, "Authorization", "Bearer " + issued.access())
        : http.get(url);

    // SPEC 1.6: "a token in the query string is refused"; RFC 6750 §3.1: invalid_request is 400.
    assertThat(response.statusCode()).as("answer: %s", response.body()).isEqualTo(400);
    assertThat(assertErrorShape(response).get("error").asText()).isEqualTo("invalid_request");
  }

  // ---------------------------------------------------------------- scopes

  static Stream<Arguments> missingScopes() {
    return Stream.of(
        Arguments.of("profile:read", "/api/v1/wallet/me", "wallet:read"),
        Arguments.of("wallet:read", "/api/v1/profile/me", "profile:read"));
  }

  @ParameterizedTest(name = "token with {0} calling {1}")
  @MethodSource("missingScopes")
  void callWhenTokenLacksScopeThen403InsufficientScope(String granted, String path, String needed) {
    Issued issued = authorize(server.user(), server.app().create(), granted);

    HttpResponse<String> response = tokens.api(path, issued.access());

    assertThat(response.statusCode()).as("answer: %s", response.body()).isEqualTo(403);
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    assertThat(challenge).startsWith("Bearer").contains("error=\"insufficient_scope\"")
        .contains("scope=\"" + needed + "\"");
    assertThat(assertErrorShape(response).get("error").asText()).isEqualTo("insufficient_scope");
  }

  @Test
  void callWhenUserTickedOnlySomeScopesThenOnlyThoseCallsWork() {
    TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    String code = flow.approve(app, "wallet:read profile:read", List.of("profile:read"));
    String access = tokens.exchangeOk(app, code).get("access_token").asText();

    assertThat(tokens.api("/api/v1/profile/me", access).statusCode()).isEqualTo(200);
    assertThat(tokens.api("/api/v1/wallet/me", access).statusCode()).isEqualTo(403);
  }

  // ---------------------------------------------------------------- whose data

  @Test
  void callWhenTokensOfDifferentAppsAndUsersThenEachReadsOnlyItsOwnUser() {
    User alice = server.user();
    User bob = server.user();
    server.credit(alice, "NGN", "100.00");
    server.credit(bob, "NGN", "250.50");
    Issued aliceAtA = authorize(alice, server.app().name("App A").create(), "wallet:read profile:read");
    Issued bobAtB = authorize(bob, server.app().name("App B").create(), "wallet:read profile:read");

    JsonNode aliceWallet = MoneiTestClient.json(tokens.api("/api/v1/wallet/me", aliceAtA.access()));
    JsonNode bobWallet = MoneiTestClient.json(tokens.api("/api/v1/wallet/me", bobAtB.access()));

    assertThat(balances(aliceWallet)).containsExactly(tuple("NGN", "100.00"));
    assertThat(balances(bobWallet)).containsExactly(tuple("NGN", "250.50"));
    assertThat(aliceWallet.get("wallet_id").asText()).isNotEqualTo(bobWallet.get("wallet_id").asText());
    assertThat(MoneiTestClient.json(tokens.api("/api/v1/profile/me", aliceAtA.access())).get("email").asText())
        .isEqualTo(alice.email());
    JsonNode bobProfile = MoneiTestClient.json(tokens.api("/api/v1/profile/me", bobAtB.access()));
    assertThat(bobProfile.get("email").asText()).isEqualTo(bob.email());
    assertThat(bobProfile.get("id").asText()).isEqualTo(bob.id());

    // Nothing in the request selects another user: the token alone decides whose data comes back.
    String aliceWalletId = aliceWallet.get("wallet_id").asText();
    for (String query : List.of("?user_id=" + alice.id(), "?wallet_id=" + aliceWalletId, "?email=" + alice.email(),
        "?sub=" + alice.id())) {
      HttpResponse<String> probe = tokens.api("/api/v1/wallet/me" + query, bobAtB.access());
      assertThat(probe.statusCode()).as("wallet with %s", query).isEqualTo(200);
      assertThat(MoneiTestClient.json(probe).get("wallet_id").asText()).isEqualTo(bobWallet.get("wallet_id").asText());
      assertThat(balances(MoneiTestClient.json(probe))).containsExactly(tuple("NGN", "250.50"));
    }
    assertThat(tokens.api("/api/v1/wallet/" + aliceWalletId, bobAtB.access()).statusCode()).isIn(401, 403, 404);
  }

  @Test
  void callWhenSameUserAuthorizedTwoAppsThenBothSeeTheSameWallet() {
    User user = server.user();
    server.credit(user, "USD", "10.00");
    Issued viaA = authorize(user, server.app().name("App A").create(), "wallet:read");
    Issued viaB = authorize(user, server.app().name("App B").create(), "wallet:read");

    JsonNode a = MoneiTestClient.json(tokens.api("/api/v1/wallet/me", viaA.access()));
    JsonNode b = MoneiTestClient.json(tokens.api("/api/v1/wallet/me", viaB.access()));

    assertThat(a.get("wallet_id").asText()).isEqualTo(b.get("wallet_id").asText());
    assertThat(balances(a)).containsExactly(tuple("USD", "10.00"));
  }

  // ---------------------------------------------------------------- wallet shape

  @Test
  void walletWhenCreditedInTwoCurrenciesThenListsBothBalancesAsDecimalStrings() {
    User user = server.user();
    server.credit(user, "NGN", "1500.00");
    server.credit(user, "USD", "200.00");
    Issued issued = authorize(user, server.app().create(), "wallet:read");

    HttpResponse<String> response = tokens.api("/api/v1/wallet/me", issued.access());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode wallet = MoneiTestClient.json(response);
    List<String> keys = new ArrayList<>();
    wallet.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("wallet_id", "balances", "updated_at");
    assertThat(wallet.get("wallet_id").isTextual()).isTrue();
    assertThat(wallet.get("wallet_id").asText()).isNotBlank();
    assertThat(wallet.get("balances").isArray()).isTrue();
    wallet.get("balances").forEach(b -> {
      assertThat(b.get("currency").isTextual()).as("currency is a string: %s", b).isTrue();
      assertThat(b.get("available").isTextual()).as("available is a decimal string: %s", b).isTrue();
    });
    assertThat(balances(wallet)).containsExactlyInAnyOrder(tuple("NGN", "1500.00"), tuple("USD", "200.00"));
    assertIso8601(wallet.get("updated_at").asText());
  }

  @Test
  void walletWhenCreditedTwiceThenBalanceIsTheSum() {
    User user = server.user();
    server.credit(user, "NGN", "1500.00");
    server.credit(user, "NGN", "0.10");
    Issued issued = authorize(user, server.app().create(), "wallet:read");

    JsonNode wallet = MoneiTestClient.json(tokens.api("/api/v1/wallet/me", issued.access()));

    assertThat(balances(wallet)).containsExactly(tuple("NGN", "1500.10"));
  }

  @Test
  void walletWhenUserNeverCreditedThenBalancesEmpty() {
    Issued issued = authorize(server.user(), server.app().create(), "wallet:read");

    HttpResponse<String> response = tokens.api("/api/v1/wallet/me", issued.access());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode wallet = MoneiTestClient.json(response);
    assertThat(wallet.get("balances").isArray()).isTrue();
    assertThat(wallet.get("balances")).isEmpty();
    assertThat(wallet.get("wallet_id").asText()).isNotBlank();
    assertIso8601(wallet.get("updated_at").asText());
    assertThat(MoneiTestClient.json(tokens.api("/api/v1/wallet/me", issued.access())).get("wallet_id").asText())
        .as("the same wallet on the next call").isEqualTo(wallet.get("wallet_id").asText());
  }

  @Test
  void profileWhenTokenHasProfileScopeThenReturnsIdNameEmail() {
    User user = server.user();
    Issued issued = authorize(user, server.app().create(), "profile:read");

    JsonNode profile = MoneiTestClient.json(tokens.api("/api/v1/profile/me", issued.access()));

    List<String> keys = new ArrayList<>();
    profile.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("id", "name", "email");
    assertThat(profile.get("id").asText()).isEqualTo(user.id());
    assertThat(profile.get("name").asText()).isEqualTo(user.name());
    assertThat(profile.get("email").asText()).isEqualTo(user.email());
  }

  // ---------------------------------------------------------------- unknown paths

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/nope", "/api/v1/wallet", "/api/v1/wallet/me/extra", "/api/v2/wallet/me",
      "/api/", "/api/v1/connect/nope"})
  void callWhenPathUnknownUnderApiThen404JsonError(String path) {
    Issued issued = authorize(server.user(), server.app().create(), "wallet:read profile:read");

    for (String token : new String[] {null, issued.access()}) {
      HttpResponse<String> response = tokens.api(path, token);

      assertThat(response.statusCode()).as("%s with token %s: %s", path, token != null, response.body())
          .isEqualTo(404);
      assertErrorShape(response);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Arguments tokenCase(String name, Function<Issued, String> authorization) {
    return Arguments.of(name, authorization);
  }

  /** {@code user} signs in and approves every scope of {@code scope} for {@code app}; the code is exchanged. */
  static Issued authorize(User user, TestApp app, String scope) {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    String code = flow.approve(app, scope, List.of(scope.split(" ")));
    return new Issued(user, app, tokens.exchangeOk(app, code));
  }

  static List<Tuple> balances(JsonNode wallet) {
    List<Tuple> out = new ArrayList<>();
    wallet.get("balances").forEach(b -> out.add(tuple(b.get("currency").asText(), b.get("available").asText())));
    return out;
  }

  static void assertInvalidToken(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("answer: %s", response.body()).isEqualTo(401);
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    assertThat(challenge).startsWith("Bearer").contains("error=\"invalid_token\"");
    assertThat(assertErrorShape(response).get("error").asText()).isEqualTo("invalid_token");
  }

  /**
   * A JSON error of exactly error, error_description, message and request_id, message equal to
   * error_description and request_id to the Request-Id header.
   */
  static JsonNode assertErrorShape(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type").orElse("")).as("content type of %s", response.body())
        .startsWith("application/json");
    JsonNode body = MoneiTestClient.json(response);
    List<String> keys = new ArrayList<>();
    body.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("error", "error_description", "message", "request_id");
    assertThat(body.get("request_id").asText()).isEqualTo(response.headers().firstValue("Request-Id").orElse(null));
    assertThat(body.get("error").asText()).isNotBlank();
    assertThat(body.get("message").asText()).isEqualTo(body.get("error_description").asText());
    return body;
  }

  static void assertIso8601(String timestamp) {
    assertThat(timestamp).isNotBlank();
    try {
      OffsetDateTime.parse(timestamp);
    } catch (RuntimeException notOffset) {
      Instant.parse(timestamp);
    }
  }

  /** {@code token} with the character at {@code index} replaced by a different base62 character. */
  static String changeCharacter(String token, int index) {
    char replacement = token.charAt(index) == 'A' ? 'B' : 'A';
    return token.substring(0, index) + replacement + token.substring(index + 1);
  }

  /** Guards the table: a random checksum matches once in 62^6 draws. */
  static String notWellFormed(String token) {
    return TokenFormat.isWellFormed(token, TokenFormat.ACCESS_TOKEN) ? changeCharacter(token, token.length() - 1)
        : token;
  }
}
