package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.TestServer.TestApp;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.TokenFormat;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * POST /api/v1/connect/token with grant_type=authorization_code, over real HTTP against the real
 * server, with codes obtained through the browser flow (SPEC 1.3, 1.4).
 */
@WithTestServer
class TokenEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GRANT = "authorization_code";

  static TestServer server;
  static MoneiTestClient tokens;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
  }

  // ---------------------------------------------------------------- success

  @Test
  void exchangeWhenFormBodyWithClientSecretPostThenIssuesBearerTokens() {
    TestApp app = server.app().create();
    String code = approve(server, app, "wallet:read profile:read");

    HttpResponse<String> response = tokens.tokenPostForm(form("grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "client_id", app.clientId(), "client_secret", app.clientSecret()));

    assertTokenResponse(tokens, response, List.of("profile:read", "wallet:read"), 3600);
  }

  @Test
  void exchangeWhenJsonBodyThenIssuesBearerTokens() throws Exception {
    TestApp app = server.app().create();
    String code = approve(server, app, "wallet:read profile:read");

    HttpResponse<String> response = tokens.tokenPostJson(json("grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "client_id", app.clientId(), "client_secret", app.clientSecret()));

    assertTokenResponse(tokens, response, List.of("profile:read", "wallet:read"), 3600);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"application/json; charset=utf-8", "application/x-www-form-urlencoded; charset=UTF-8",
      "Application/JSON"})
  void exchangeWhenContentTypeHasParametersOrOtherCaseThenIssuesBearerTokens(String contentType) {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");
    Map<String, String> fields = authCode(app, code, "client_id", app.clientId(), "client_secret", app.clientSecret());
    String body = contentType.toLowerCase().contains("json") ? json(fields) : MoneiTestClient.form(fields);

    assertTokenResponse(tokens, tokens.tokenPost(contentType, body), List.of("profile:read"), 3600);
  }

  @ParameterizedTest(name = "client_id also in body: {0}")
  @ValueSource(booleans = {false, true})
  void exchangeWhenHttpBasicAndNoSecretInBodyThenIssuesBearerTokens(boolean clientIdInBody) {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");

    HttpResponse<String> response = tokens.tokenPostForm(form("grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "client_id", clientIdInBody ? app.clientId() : null),
        "Authorization", MoneiTestClient.basic(app.clientId(), app.clientSecret()));

    assertTokenResponse(tokens, response, List.of("profile:read"), 3600);
  }

  @Test
  void exchangeWhenUserTickedFewerScopesThenScopesListOnlyApprovedOnes() {
    TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    String code = flow.approve(app, "wallet:read profile:read", List.of("profile:read"));

    assertTokenResponse(tokens, tokens.exchange(app, code), List.of("profile:read"), 3600);
  }

  // ---------------------------------------------------------------- code life cycle

  @Test
  void exchangeWhenCodeUsedTwiceThenInvalidGrantAndFirstTokensRevoked() {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");
    String access = tokens.exchangeOk(app, code).get("access_token").asText();
    assertThat(tokens.api("/api/v1/profile/me", access).statusCode()).isEqualTo(200);

    assertOAuthError(tokens.exchange(app, code), 400, "invalid_grant");

    // RFC 6749 §4.1.2: the server "SHOULD revoke (when possible) all tokens previously issued based on that
    // code"; SPEC 1.4 makes it a must.
    HttpResponse<String> afterReplay = tokens.api("/api/v1/profile/me", access);
    assertThat(afterReplay.statusCode()).isEqualTo(401);
    assertThat(afterReplay.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"invalid_token\"");
  }

  @Test
  void exchangeWhenCodeReplayedThenTokensOfOtherCodesStillWork() {
    TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    String replayed = flow.approve(app, "profile:read", List.of("profile:read"));
    String otherCode = flow.approve(app, "profile:read", List.of("profile:read"), "prompt", "consent");
    String replayedAccess = tokens.exchangeOk(app, replayed).get("access_token").asText();
    String otherAccess = tokens.exchangeOk(app, otherCode).get("access_token").asText();

    assertOAuthError(tokens.exchange(app, replayed), 400, "invalid_grant");

    assertThat(tokens.api("/api/v1/profile/me", replayedAccess).statusCode()).isEqualTo(401);
    assertThat(tokens.api("/api/v1/profile/me", otherAccess).statusCode())
        .as("a token from another code of the same user and app").isEqualTo(200);
  }

  @Test
  void exchangeWhenCodeUsedThreeTimesThenEveryReplayInvalidGrant() {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");
    tokens.exchangeOk(app, code);

    assertOAuthError(tokens.exchange(app, code), 400, "invalid_grant");
    assertOAuthError(tokens.exchange(app, code), 400, "invalid_grant");
  }

  static Stream<Arguments> codeAges() {
    return Stream.of(
        Arguments.of(Duration.ofMinutes(10).minusSeconds(1), true),
        Arguments.of(Duration.ofMinutes(10).plusSeconds(1), false));
  }

  @ParameterizedTest(name = "age {0} -> accepted: {1}")
  @MethodSource("codeAges")
  void exchangeWhenCodeAgeAroundTenMinutesThenOnlyYoungerCodeAccepted(Duration age, boolean accepted) {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");

    server.advance(age);
    HttpResponse<String> response = tokens.exchange(app, code);

    if (accepted) assertTokenResponse(tokens, response, List.of("profile:read"), 3600);
    else assertOAuthError(response, 400, "invalid_grant");
  }

  @Test
  void exchangeWhenCodeTtlConfiguredThenCodeExpiresAfterThatTtl() {
    // Own server: only this case needs a code lifetime other than the class server's default.
    try (TestServer custom = TestServer.start(c -> c.withCodeTtl(Duration.ofSeconds(30)))) {
      MoneiTestClient customTokens = new MoneiTestClient(custom);
      TestApp app = custom.app().create();

      String young = approve(custom, app, "profile:read");
      custom.advance(Duration.ofSeconds(29));
      assertTokenResponse(customTokens, customTokens.exchange(app, young), List.of("profile:read"), 3600);

      String old = approve(custom, app, "profile:read");
      custom.advance(Duration.ofSeconds(31));
      assertOAuthError(customTokens.exchange(app, old), 400, "invalid_grant");
    }
  }

  @Test
  void exchangeWhenCodeIssuedToAnotherAppThenInvalidGrant() {
    TestApp owner = server.app().name("Owner").create();
    TestApp other = server.app().name("Other").create();
    String code = approve(server, owner, "wallet:read profile:read");

    // RFC 6749 §4.1.3: "ensure that the authorization code was issued to the authenticated confidential client"
    assertOAuthError(tokens.exchange(other, code), 400, "invalid_grant");
    assertOAuthError(tokens.tokenPostForm(form("grant_type", GRANT, "code", code, "redirect_uri", other.redirectUri()),
        "Authorization", MoneiTestClient.basic(other.clientId(), other.clientSecret())), 400, "invalid_grant");
  }

  @Test
  void exchangeWhenPublicAppPresentsConfidentialAppsCodeThenInvalidGrant() {
    TestApp owner = server.app().create();
    TestApp publicApp = server.app().publicClient().create();
    String verifier = verifier();
    String code = approve(server, owner, "profile:read", "code_challenge", challenge(verifier),
        "code_challenge_method", "S256");

    assertOAuthError(tokens.tokenPostForm(form("grant_type", GRANT, "code", code, "redirect_uri", owner.redirectUri(),
        "client_id", publicApp.clientId(), "code_verifier", verifier)), 400, "invalid_grant");
  }

  // ---------------------------------------------------------------- redirect_uri

  static Stream<Function<TestApp, String>> otherRedirectUris() {
    return Stream.of(
        app -> app.redirectUris().get(1),
        app -> app.redirectUri() + "/",
        app -> app.redirectUri() + "?x=1",
        app -> app.redirectUri().replace("localhost", "127.0.0.1"),
        app -> "https://attacker.example/callback");
  }

  @ParameterizedTest
  @MethodSource("otherRedirectUris")
  void exchangeWhenRedirectUriDiffersFromAuthorizeThenInvalidGrant(Function<TestApp, String> otherUri) {
    TestApp app = server.app().redirectUris("http://localhost:3000/monei/callback", "http://localhost:3000/other")
        .create();
    String code = approve(server, app, "profile:read");

    HttpResponse<String> response = tokens.tokenPostForm(form("grant_type", GRANT, "code", code,
        "redirect_uri", otherUri.apply(app), "client_id", app.clientId(), "client_secret", app.clientSecret()));

    assertOAuthError(response, 400, "invalid_grant");
  }

  @Test
  void exchangeWhenRedirectUriMissingButSentAtAuthorizeThenRefused() {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");

    HttpResponse<String> response = tokens.tokenPostForm(form("grant_type", GRANT, "code", code,
        "client_id", app.clientId(), "client_secret", app.clientSecret()));

    // RFC 6749 §4.1.3: redirect_uri is "REQUIRED, if the redirect_uri parameter was included in the
    // authorization request".
    assertOAuthError(response, 400, "invalid_request", "invalid_grant");
  }

  @Test
  void exchangeWhenRedirectUriOmittedAtAuthorizeAndTokenForSingleUriAppThenIssuesTokens() {
    TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(),
        "response_type", "code", "scope", "profile:read", "state", "s1"));
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("profile:read"));
    assertThat(redirect.statusCode()).isEqualTo(303);
    assertThat(redirect.headers().firstValue("Location").orElseThrow()).startsWith(app.redirectUri() + "?");
    String code = MoneiTestClient.query(redirect).get("code");

    HttpResponse<String> response = tokens.tokenPostForm(form("grant_type", GRANT, "code", code,
        "client_id", app.clientId(), "client_secret", app.clientSecret()));

    assertTokenResponse(tokens, response, List.of("profile:read"), 3600);
  }

  // ---------------------------------------------------------------- unknown codes

  static Stream<String> unknownCodes() {
    return Stream.of(
        TokenFormat.randomBase62(43),
        "garbage",
        "x",
        "mct_" + TokenFormat.randomBase62(49),
        "' OR '1'='1",
        "\u00e9\u00e8\u00ea-\u2603");
  }

  @ParameterizedTest
  @MethodSource("unknownCodes")
  void exchangeWhenCodeUnknownThenInvalidGrant(String code) {
    TestApp app = server.app().create();

    assertOAuthError(tokens.exchange(app, code), 400, "invalid_grant");
  }

  @Test
  void exchangeWhenCodeOneCharacterOffThenInvalidGrant() {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");

    assertOAuthError(tokens.exchange(app, flipLastCharacter(code)), 400, "invalid_grant");
    assertTokenResponse(tokens, tokens.exchange(app, code), List.of("profile:read"), 3600);
  }

  // ---------------------------------------------------------------- PKCE

  @Test
  void exchangeWhenConfidentialAppSendsRightVerifierThenIssuesTokens() {
    TestApp app = server.app().create();
    String verifier = verifier();
    String code = approve(server, app, "profile:read", "code_challenge", challenge(verifier),
        "code_challenge_method", "S256");

    HttpResponse<String> response = tokens.tokenPostForm(withSecret(app, "grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "code_verifier", verifier));

    assertTokenResponse(tokens, response, List.of("profile:read"), 3600);
  }

  /** (verifier -> what is sent as code_verifier); null leaves it out. */
  static Stream<Arguments> badVerifiers() {
    return Stream.of(
        verifierCase("missing", v -> null),
        verifierCase("another verifier", v -> verifier()),
        verifierCase("one character off", TokenEndpointTest::flipLastCharacter),
        verifierCase("the challenge itself (plain)", TokenEndpointTest::challenge),
        verifierCase("too short", v -> v.substring(0, 42)),
        verifierCase("with a space", v -> v.substring(0, 50) + " " + v.substring(51)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badVerifiers")
  void exchangeWhenConfidentialAppVerifierMissingOrWrongThenInvalidGrant(String name,
      Function<String, String> sent) {
    TestApp app = server.app().create();
    String verifier = verifier();
    String code = approve(server, app, "profile:read", "code_challenge", challenge(verifier),
        "code_challenge_method", "S256");

    HttpResponse<String> response = tokens.tokenPostForm(withSecret(app, "grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "code_verifier", sent.apply(verifier)));

    // RFC 7636 §4.6: "If the values are not equal, an error response indicating "invalid_grant" ... MUST be returned."
    assertOAuthError(response, 400, "invalid_grant");
  }

  @Test
  void exchangeWhenVerifierSentForCodeIssuedWithoutChallengeThenInvalidGrant() {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");

    HttpResponse<String> response = tokens.tokenPostForm(withSecret(app, "grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "code_verifier", verifier()));

    assertOAuthError(response, 400, "invalid_grant");
  }

  @Test
  void exchangeWhenPublicAppSendsClientIdAndRightVerifierThenIssuesTokens() {
    TestApp app = server.app().publicClient().create();
    assertThat(app.clientSecret()).isNull();
    String verifier = verifier();
    String code = approve(server, app, "wallet:read profile:read", "code_challenge", challenge(verifier),
        "code_challenge_method", "S256");

    HttpResponse<String> response = tokens.tokenPostForm(form("grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "client_id", app.clientId(), "code_verifier", verifier));

    assertTokenResponse(tokens, response, List.of("profile:read", "wallet:read"), 3600);
  }

  @Test
  void exchangeWhenPublicAppSendsJsonBodyThenIssuesTokens() throws Exception {
    TestApp app = server.app().publicClient().create();
    String verifier = verifier();
    String code = approve(server, app, "profile:read", "code_challenge", challenge(verifier),
        "code_challenge_method", "S256");

    HttpResponse<String> response = tokens.tokenPostJson(json("grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "client_id", app.clientId(), "code_verifier", verifier));

    assertTokenResponse(tokens, response, List.of("profile:read"), 3600);
  }

  static Stream<Arguments> publicAppSecrets() {
    return Stream.of(
        Arguments.of("well-formed secret", TokenFormat.generate(TokenFormat.CLIENT_SECRET)),
        Arguments.of("garbage secret", "secret"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publicAppSecrets")
  void exchangeWhenPublicAppSendsClientSecretThenInvalidClient(String name, String secret) {
    TestApp app = server.app().publicClient().create();
    String verifier = verifier();
    String code = approve(server, app, "profile:read", "code_challenge", challenge(verifier),
        "code_challenge_method", "S256");

    HttpResponse<String> response = tokens.tokenPostForm(form("grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "client_id", app.clientId(), "client_secret", secret,
        "code_verifier", verifier));

    assertOAuthError(response, 401, "invalid_client");
    assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badVerifiers")
  void exchangeWhenPublicAppVerifierMissingOrWrongThenInvalidGrant(String name, Function<String, String> sent) {
    TestApp app = server.app().publicClient().create();
    String verifier = verifier();
    String code = approve(server, app, "profile:read", "code_challenge", challenge(verifier),
        "code_challenge_method", "S256");

    HttpResponse<String> response = tokens.tokenPostForm(form("grant_type", GRANT, "code", code,
        "redirect_uri", app.redirectUri(), "client_id", app.clientId(), "code_verifier", sent.apply(verifier)));

    assertOAuthError(response, 400, "invalid_grant");
  }

  // ---------------------------------------------------------------- client authentication

  /** (app, code) -> the token request; every case authenticates the app wrongly. */
  static Stream<Arguments> badClientAuthentication() {
    return Stream.of(
        clientCase("another app's valid secret", (app, code) ->
            tokens.tokenPostForm(authCode(app, code, "client_id", app.clientId(),
                "client_secret", server.app().create().clientSecret()))),
        clientCase("well-formed secret never issued", (app, code) ->
            tokens.tokenPostForm(authCode(app, code, "client_id", app.clientId(),
                "client_secret", TokenFormat.generate(TokenFormat.CLIENT_SECRET)))),
        clientCase("secret with wrong checksum", (app, code) ->
            tokens.tokenPostForm(authCode(app, code, "client_id", app.clientId(),
                "client_secret", flipLastCharacter(app.clientSecret())))),
        clientCase("garbage secret", (app, code) ->
            tokens.tokenPostForm(authCode(app, code, "client_id", app.clientId(), "client_secret", "hunter2"))),
        clientCase("no secret for a confidential app", (app, code) ->
            tokens.tokenPostForm(authCode(app, code, "client_id", app.clientId()))),
        clientCase("unknown client_id", (app, code) ->
            tokens.tokenPostForm(authCode(app, code, "client_id", "mc_" + TokenFormat.randomBase62(24),
                "client_secret", app.clientSecret()))),
        clientCase("no client_id at all", (app, code) ->
            tokens.tokenPostForm(authCode(app, code))),
        clientCase("secret but no client_id", (app, code) ->
            tokens.tokenPostForm(authCode(app, code, "client_secret", app.clientSecret()))),
        clientCase("JSON body, wrong secret", (app, code) ->
            tokens.tokenPostJson(json(authCode(app, code, "client_id", app.clientId(),
                "client_secret", TokenFormat.generate(TokenFormat.CLIENT_SECRET))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badClientAuthentication")
  void exchangeWhenClientAuthenticationFailsThenInvalidClient(String name,
      BiFunction<TestApp, String, HttpResponse<String>> request) {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");

    HttpResponse<String> response = request.apply(app, code);

    assertOAuthError(response, 401, "invalid_client");
    assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  static Stream<Arguments> badBasicCredentials() {
    return Stream.of(
        basicCase("wrong secret", app ->
            MoneiTestClient.basic(app.clientId(), TokenFormat.generate(TokenFormat.CLIENT_SECRET))),
        basicCase("secret with wrong checksum", app ->
            MoneiTestClient.basic(app.clientId(), flipLastCharacter(app.clientSecret()))),
        basicCase("empty secret", app -> MoneiTestClient.basic(app.clientId(), "")),
        basicCase("unknown client", app ->
            MoneiTestClient.basic("mc_" + TokenFormat.randomBase62(24), app.clientSecret())),
        basicCase("not base64", app -> "Basic !!!not-base64!!!"),
        basicCase("no colon", app ->
            "Basic " + Base64.getEncoder().encodeToString(app.clientId().getBytes(StandardCharsets.UTF_8))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBasicCredentials")
  void exchangeWhenHttpBasicCredentialsWrongThenInvalidClientWithBasicChallenge(String name,
      Function<TestApp, String> authorization) {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");

    HttpResponse<String> response = tokens.tokenPostForm(authCode(app, code),
        "Authorization", authorization.apply(app));

    // RFC 6749 §5.2: "include the WWW-Authenticate response header field matching the authentication scheme
    // used by the client".
    assertOAuthError(response, 401, "invalid_client");
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
  }

  @Test
  void exchangeWhenHttpBasicAndClientSecretInBodyThenInvalidRequest() {
    TestApp app = server.app().create();
    String code = approve(server, app, "profile:read");

    HttpResponse<String> response = tokens.tokenPostForm(authCode(app, code, "client_id", app.clientId(),
        "client_secret", app.clientSecret()), "Authorization",
        MoneiTestClient.basic(app.clientId(), app.clientSecret()));

    // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
    assertOAuthError(response, 400, "invalid_request");
  }

  // ---------------------------------------------------------------- malformed input

  /** A raw token request: content type (null = none) and body. */
  record RawRequest(String contentType, String body) {}

  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        malformed("malformed JSON", "invalid_request", app -> new RawRequest("application/json", "{\"grant_type\":")),
        malformed("JSON array", "invalid_request", app -> new RawRequest("application/json", "[]")),
        malformed("JSON followed by garbage", "invalid_request", app -> new RawRequest("application/json",
            json(authCode(app, TokenFormat.randomBase62(43), "client_id", app.clientId(),
                "client_secret", app.clientSecret())) + " trailing garbage")),
        malformed("JSON null", "invalid_request", app -> new RawRequest("application/json", "null")),
        malformed("JSON string", "invalid_request", app -> new RawRequest("application/json", "\"code\"")),
        malformed("empty JSON body", "invalid_request", app -> new RawRequest("application/json", "")),
        malformed("JSON number value", "invalid_request", app -> new RawRequest("application/json",
            "{\"grant_type\":\"authorization_code\",\"code\":12345,\"redirect_uri\":\"" + app.redirectUri()
                + "\",\"client_id\":\"" + app.clientId() + "\",\"client_secret\":\"" + app.clientSecret() + "\"}")),
        malformed("JSON object value", "invalid_request", app -> new RawRequest("application/json",
            "{\"grant_type\":{\"a\":1},\"code\":\"abc\",\"client_id\":\"" + app.clientId()
                + "\",\"client_secret\":\"" + app.clientSecret() + "\"}")),
        malformed("JSON array value", "invalid_request", app -> new RawRequest("application/json",
            "{\"grant_type\":[\"authorization_code\"],\"code\":\"abc\",\"client_id\":\"" + app.clientId()
                + "\",\"client_secret\":\"" + app.clientSecret() + "\"}")),
        malformed("empty form body", "invalid_request",
            app -> new RawRequest("application/x-www-form-urlencoded", "")),
        malformed("missing grant_type", "invalid_request", app -> formRequest(
            "code", TokenFormat.randomBase62(43), "redirect_uri", app.redirectUri(),
            "client_id", app.clientId(), "client_secret", app.clientSecret())),
        malformed("empty grant_type", "invalid_request", app -> formRequest("grant_type", "",
            "code", TokenFormat.randomBase62(43), "redirect_uri", app.redirectUri(),
            "client_id", app.clientId(), "client_secret", app.clientSecret())),
        malformed("missing code", "invalid_request", app -> formRequest("grant_type", GRANT,
            "redirect_uri", app.redirectUri(), "client_id", app.clientId(), "client_secret", app.clientSecret())),
        malformed("missing code, JSON", "invalid_request", app -> jsonRequest("grant_type", GRANT,
            "redirect_uri", app.redirectUri(), "client_id", app.clientId(), "client_secret", app.clientSecret())),
        malformed("grant_type=password", "unsupported_grant_type", app -> formRequest("grant_type", "password",
            "username", "someone@monei.test", "password", "pw",
            "client_id", app.clientId(), "client_secret", app.clientSecret())),
        malformed("grant_type=client_credentials", "unsupported_grant_type", app -> formRequest(
            "grant_type", "client_credentials", "client_id", app.clientId(), "client_secret", app.clientSecret())),
        malformed("Content-Type text/plain", "invalid_request", app -> new RawRequest("text/plain",
            MoneiTestClient.form(authCode(app, TokenFormat.randomBase62(43), "client_id", app.clientId(),
                "client_secret", app.clientSecret())))),
        malformed("no Content-Type", "invalid_request", app -> new RawRequest(null,
            MoneiTestClient.form(authCode(app, TokenFormat.randomBase62(43), "client_id", app.clientId(),
                "client_secret", app.clientSecret())))),
        malformed("repeated code in form body", "invalid_request", app -> new RawRequest(
            "application/x-www-form-urlencoded",
            MoneiTestClient.form(authCode(app, TokenFormat.randomBase62(43), "client_id", app.clientId(),
                "client_secret", app.clientSecret())) + "&code=" + TokenFormat.randomBase62(43))),
        malformed("repeated grant_type in form body", "invalid_request", app -> new RawRequest(
            "application/x-www-form-urlencoded",
            MoneiTestClient.form(authCode(app, TokenFormat.randomBase62(43), "client_id", app.clientId(),
                "client_secret", app.clientSecret())) + "&grant_type=" + GRANT)),
        malformed("huge random code", "invalid_grant", app -> formRequest("grant_type", GRANT,
            "code", TokenFormat.randomBase62(100_000), "redirect_uri", app.redirectUri(),
            "client_id", app.clientId(), "client_secret", app.clientSecret())));
  }

  private static Arguments malformed(String name, String error, Function<TestApp, RawRequest> request) {
    return Arguments.of(name, error, request);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("malformedRequests")
  void exchangeWhenRequestMalformedThen400WithJsonError(String name, String error,
      Function<TestApp, RawRequest> request) {
    TestApp app = server.app().create();
    RawRequest raw = request.apply(app);

    HttpResponse<String> response = tokens.tokenPost(raw.contentType(), raw.body());

    assertOAuthError(response, 400, error);
  }

  @Test
  void exchangeWhenBodyLargerThanServerAcceptsThenJsonError() {
    TestApp app = server.app().create();
    String body = MoneiTestClient.form(authCode(app, TokenFormat.randomBase62(43), "client_id", app.clientId(),
        "client_secret", app.clientSecret(), "padding", "a".repeat(2_000_000)));

    HttpResponse<String> response = tokens.tokenPost("application/x-www-form-urlencoded", body);

    // Refusing is right (413 or 400); the answer is still the token endpoint's JSON error (SPEC 1.4).
    assertThat(response.statusCode()).as("answer: %s", response.body()).isIn(400, 413);
    assertOAuthError(response, response.statusCode(), "invalid_request");
  }

  // ---------------------------------------------------------------- helpers

  private static Arguments verifierCase(String name, Function<String, String> sentForVerifier) {
    return Arguments.of(name, sentForVerifier);
  }

  private static Arguments clientCase(String name, BiFunction<TestApp, String, HttpResponse<String>> request) {
    return Arguments.of(name, request);
  }

  private static Arguments basicCase(String name, Function<TestApp, String> authorization) {
    return Arguments.of(name, authorization);
  }

  /** A fresh user signs in and approves every scope in {@code scope} for {@code app}; returns the code. */
  static String approve(TestServer on, TestApp app, String scope, String... extraAuthorizeParams) {
    MoneiTestClient flow = new MoneiTestClient(on).signIn(on.user());
    return flow.approve(app, scope, List.of(scope.split(" ")), extraAuthorizeParams);
  }

  /** Checks the success answer of SPEC 1.4 and that its access token works on {@code client}'s server. */
  static JsonNode assertTokenResponse(MoneiTestClient client, HttpResponse<String> response, List<String> scopes,
      int expiresIn) {
    assertThat(response.statusCode()).as("token answer: %s", response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode body = MoneiTestClient.json(response);
    String access = body.path("access_token").asText();
    String refresh = body.path("refresh_token").asText();
    assertThat(access).startsWith("mct_").hasSize(4 + 43 + 6);
    assertThat(TokenFormat.isWellFormed(access, TokenFormat.ACCESS_TOKEN)).as("checksum of %s", access).isTrue();
    assertThat(refresh).startsWith("mcr_").hasSize(4 + 43 + 6);
    assertThat(TokenFormat.isWellFormed(refresh, TokenFormat.REFRESH_TOKEN)).as("checksum of %s", refresh).isTrue();
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("expires_in").isInt()).as("expires_in is a number").isTrue();
    assertThat(body.path("expires_in").asInt()).isEqualTo(expiresIn);
    assertThat(body.path("scopes").isArray()).as("scopes is an array").isTrue();
    List<String> listed = new ArrayList<>();
    body.path("scopes").forEach(s -> listed.add(s.asText()));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(scopes);
    assertThat(List.of(body.path("scope").asText().split(" "))).containsExactlyInAnyOrderElementsOf(scopes);
    assertThat(body.path("scope").asText()).isEqualTo(String.join(" ", listed));
    String probe = scopes.contains("profile:read") ? "/api/v1/profile/me" : "/api/v1/wallet/me";
    assertThat(client.api(probe, access).statusCode()).as("the new access token works on %s", probe).isEqualTo(200);
    return body;
  }

  /**
   * An OAuth error answer (SPEC 1.4): {@code status}, a JSON body of exactly error, error_description,
   * message and request_id, message equal to error_description, request_id to the Request-Id header, and
   * error one of {@code errors}.
   */
  static JsonNode assertOAuthError(HttpResponse<String> response, int status, String... errors) {
    assertThat(response.statusCode()).as("answer: %s", response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).as("content type")
        .startsWith("application/json");
    JsonNode body = MoneiTestClient.json(response);
    List<String> keys = new ArrayList<>();
    body.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("error", "error_description", "message", "request_id");
    assertThat(body.get("request_id").asText()).isEqualTo(response.headers().firstValue("Request-Id").orElse(null));
    assertThat(body.get("error").asText()).isIn((Object[]) errors);
    assertThat(body.get("error_description").asText()).isNotBlank();
    assertThat(body.get("message").asText()).isEqualTo(body.get("error_description").asText());
    return body;
  }

  /** grant_type, code and redirect_uri of an exchange, then {@code more} pairs (null values left out). */
  static Map<String, String> authCode(TestApp app, String code, String... more) {
    Map<String, String> form = form("grant_type", GRANT, "code", code, "redirect_uri", app.redirectUri());
    form.putAll(form(more));
    return form;
  }

  /** An ordered form from key/value pairs; null values are left out. */
  static Map<String, String> form(String... keyValues) {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) form.put(keyValues[i], keyValues[i + 1]);
    }
    return form;
  }

  static Map<String, String> withSecret(TestApp app, String... keyValues) {
    Map<String, String> form = form(keyValues);
    form.put("client_id", app.clientId());
    form.put("client_secret", app.clientSecret());
    return form;
  }

  static RawRequest formRequest(String... keyValues) {
    return new RawRequest("application/x-www-form-urlencoded", MoneiTestClient.form(form(keyValues)));
  }

  static RawRequest jsonRequest(String... keyValues) {
    return new RawRequest("application/json", json(form(keyValues)));
  }

  static String json(String... keyValues) {
    return json(form(keyValues));
  }

  static String json(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random RFC 7636 code_verifier (64 unreserved characters). */
  static String verifier() {
    return TokenFormat.randomBase62(40) + "-._~" + TokenFormat.randomBase62(20);
  }

  /** BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2, computed here rather than by the server's code. */
  static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same string with its last character replaced by another base62 character. */
  static String flipLastCharacter(String s) {
    char last = s.charAt(s.length() - 1);
    return s.substring(0, s.length() - 1) + (last == 'A' ? 'B' : 'A');
  }
}
