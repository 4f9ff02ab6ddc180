package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.MoneiTestClient.Grant;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.TokenFormat;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 1.5 / RFC 7009: POST /api/v1/connect/revoke. */
@WithTestServer
class RevocationEndpointTest {
  private static final String SCOPE = "profile:read";

  static TestServer server;
  static MoneiTestClient channel;
  static User user;
  static MoneiTestClient flow;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    channel = new MoneiTestClient(server);
    user = server.user();
    flow = new MoneiTestClient(server).signIn(user);
  }

  /**
   * The class's user, signed in. Each test uses a new app, so its token families and consent are its
   * own; the browser signs in again when an earlier test moved the clock past the session.
   */
  private static MoneiTestClient signedIn() {
    if (flow.get(server.url() + "/").statusCode() != 200) flow.signIn(user);
    return flow;
  }

  private static Grant newGrant() {
    return signedIn().grant(server.app().create(), SCOPE);
  }

  private static void assertRevocationOk(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertThat(MoneiTestClient.json(response).size()).as("empty JSON object: %s", response.body()).isZero();
  }

  // ---- what a revocation revokes

  @Test
  void revokeWhenAccessTokenThenApiAnswers401AndRefreshTokenStillWorks() {
    Grant g = newGrant();

    assertRevocationOk(channel.revoke(g.app(), g.access()));

    HttpResponse<String> api = new MoneiTestClient(server).api("/api/v1/profile/me", g.access());
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).contains("invalid_token"));
    HttpResponse<String> refreshed = channel.refresh(g.app(), g.refresh());
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    JsonNode pair = MoneiTestClient.json(refreshed);
    assertThat(pair.get("refresh_token").asText()).startsWith("mcr_").isNotEqualTo(g.refresh());
    assertThat(channel.profileStatus(pair.get("access_token").asText())).isEqualTo(200);
  }

  @Test
  void revokeWhenAccessTokenThenOtherAccessTokensOfTheFamilyKeepWorking() {
    Grant g = newGrant();
    JsonNode rotated = MoneiTestClient.json(channel.refresh(g.app(), g.refresh()));

    assertRevocationOk(channel.revoke(g.app(), g.access()));

    assertThat(channel.profileStatus(g.access())).isEqualTo(401);
    assertThat(channel.profileStatus(rotated.get("access_token").asText())).isEqualTo(200);
  }

  @Test
  void revokeWhenRefreshTokenThenWholeFamilyRevokedAndConsentForgotten() {
    MoneiTestClient flow = signedIn();
    TestServer.TestApp app = server.app().create();
    Grant g = flow.grant(app, SCOPE);

    assertRevocationOk(channel.revoke(app, g.refresh()));

    assertThat(channel.profileStatus(g.access())).isEqualTo(401);
    assertThat(channel.refreshOutcome(app, g.refresh())).isEqualTo("invalid_grant");
    // no live family is left for this user and app: the app has disconnected itself
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, SCOPE, "after-revoke"));
    assertThat(screen.offeredScopes()).containsExactly(SCOPE);
  }

  @Test
  void revokeWhenRefreshTokenOfNewerGenerationThenEveryEarlierAccessTokenRevokedToo() {
    Grant g = newGrant();
    JsonNode rotated = MoneiTestClient.json(channel.refresh(g.app(), g.refresh()));
    String newRefresh = rotated.get("refresh_token").asText();

    assertRevocationOk(channel.revoke(g.app(), newRefresh));

    assertThat(channel.profileStatus(g.access())).as("generation 0 access token").isEqualTo(401);
    assertThat(channel.profileStatus(rotated.get("access_token").asText())).as("generation 1").isEqualTo(401);
    assertThat(channel.refreshOutcome(g.app(), newRefresh)).isEqualTo("invalid_grant");
  }

  @Test
  void revokeWhenRotatedOutRefreshTokenThenFamilyStillRevoked() {
    Grant g = newGrant();
    JsonNode rotated = MoneiTestClient.json(channel.refresh(g.app(), g.refresh()));

    assertRevocationOk(channel.revoke(g.app(), g.refresh()));

    assertThat(channel.profileStatus(rotated.get("access_token").asText())).isEqualTo(401);
    assertThat(channel.refreshOutcome(g.app(), rotated.get("refresh_token").asText())).isEqualTo("invalid_grant");
  }

  @Test
  void revokeWhenUserHasSecondLiveFamilyThenOnlyOneFamilyRevokedAndConsentRemembered() {
    MoneiTestClient flow = signedIn();
    TestServer.TestApp app = server.app().create();
    Grant first = flow.grant(app, SCOPE);
    Grant second = channel.redeem(app, flow.rememberedCode(app, SCOPE));

    assertRevocationOk(channel.revoke(app, first.refresh()));

    assertThat(channel.profileStatus(first.access())).isEqualTo(401);
    assertThat(channel.refreshOutcome(app, first.refresh())).isEqualTo("invalid_grant");
    assertThat(channel.profileStatus(second.access())).isEqualTo(200);
    JsonNode rotated = MoneiTestClient.json(channel.refresh(app, second.refresh()));
    assertThat(rotated.has("access_token")).as("second family refreshes").isTrue();
    // one family is still live, so the app is still connected: no consent screen
    flow.rememberedCode(app, SCOPE);

    // revoking the last live family (through its current refresh token) disconnects the app
    assertRevocationOk(channel.revoke(app, rotated.get("refresh_token").asText()));
    flow.openConsent(flow.authorizeUrl(app, SCOPE, "gone"));
  }

  @Test
  void revokeWhenUsersOtherFamilyHasExpiredThenNoLiveFamilyLeftAndConsentForgotten() {
    TestServer.TestApp app = server.app().create();
    Grant old = signedIn().grant(app, SCOPE);
    // the first family's refresh token expires unused: that family can never yield a token again
    server.advance(Duration.ofDays(30).plusMinutes(1));
    assertThat(channel.refreshOutcome(app, old.refresh())).isEqualTo("invalid_grant");
    MoneiTestClient flow = signedIn();
    Grant current = channel.redeem(app, flow.rememberedCode(app, SCOPE));

    assertRevocationOk(channel.revoke(app, current.refresh()));

    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, SCOPE, "no-live-family"));
    assertThat(screen.offeredScopes()).containsExactly(SCOPE);
  }

  // ---- tokens it does not know, or that are not the caller's

  static Stream<Arguments> unknownTokens() {
    return Stream.of(
        Arguments.of("garbage", (Function<Grant, String>) g -> "not-a-token"),
        Arguments.of("well-formed unknown access token", (Function<Grant, String>) g ->
            TokenFormat.generate(TokenFormat.ACCESS_TOKEN)),
        Arguments.of("well-formed unknown refresh token", (Function<Grant, String>) g ->
            TokenFormat.generate(TokenFormat.REFRESH_TOKEN)),
        Arguments.of("access token with a broken checksum", (Function<Grant, String>) g ->
            g.access().substring(0, g.access().length() - 1) + (g.access().endsWith("0") ? "1" : "0")),
        Arguments.of("the client secret", (Function<Grant, String>) g -> g.app().clientSecret()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownTokens")
  void revokeWhenTokenUnknownThen200AndNothingRevoked(String name, Function<Grant, String> token) {
    Grant g = newGrant();

    assertRevocationOk(channel.revoke(g.app(), token.apply(g)));

    assertThat(channel.profileStatus(g.access())).isEqualTo(200);
    assertThat(channel.refreshOutcome(g.app(), g.refresh())).isEqualTo("ok");
  }

  @Test
  void revokeWhenTokenAlreadyRevokedThen200Again() {
    Grant g = newGrant();
    assertRevocationOk(channel.revoke(g.app(), g.refresh()));

    assertRevocationOk(channel.revoke(g.app(), g.refresh()));
    assertRevocationOk(channel.revoke(g.app(), g.access()));
  }

  @Test
  void revokeWhenAccessTokenExpiredThen200() {
    Grant g = newGrant();
    server.advance(Duration.ofSeconds(3601));

    assertRevocationOk(channel.revoke(g.app(), g.access()));
    assertThat(channel.refreshOutcome(g.app(), g.refresh())).isEqualTo("ok");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"access", "refresh"})
  void revokeWhenAnotherAppsCredentialsThen200AndTokenStillWorks(String which) {
    Grant g = newGrant();
    TestServer.TestApp other = server.app().name("Other App").create();

    assertRevocationOk(channel.revoke(other, which.equals("access") ? g.access() : g.refresh()));

    assertThat(channel.profileStatus(g.access())).isEqualTo(200);
    assertThat(channel.refreshOutcome(g.app(), g.refresh())).isEqualTo("ok");
  }

  // ---- client authentication

  @Test
  void revokeWhenNoClientCredentialsThen401InvalidClientAndNothingRevoked() {
    Grant g = newGrant();

    HttpResponse<String> response = channel.revokeRaw("application/x-www-form-urlencoded",
        MoneiTestClient.form(Map.of("token", g.refresh())));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(MoneiTestClient.error(response)).isEqualTo("invalid_client");
    assertThat(channel.profileStatus(g.access())).isEqualTo(200);
    assertThat(channel.refreshOutcome(g.app(), g.refresh())).isEqualTo("ok");
  }

  /** A way of presenting wrong credentials for the token's own app. */
  interface Credentials {
    HttpResponse<String> revoke(Grant g, String token);
  }

  static Stream<Arguments> wrongCredentials() {
    String wrongSecret = TokenFormat.generate(TokenFormat.CLIENT_SECRET);
    return Stream.of(
        Arguments.of("HTTP Basic with a wrong secret", (Credentials) (g, token) -> channel.revokeRaw(
            "application/x-www-form-urlencoded", MoneiTestClient.form(Map.of("token", token)),
            "Authorization", MoneiTestClient.basic(g.app().clientId(), wrongSecret))),
        Arguments.of("HTTP Basic with a garbage secret", (Credentials) (g, token) -> channel.revokeRaw(
            "application/x-www-form-urlencoded", MoneiTestClient.form(Map.of("token", token)),
            "Authorization", MoneiTestClient.basic(g.app().clientId(), "secret"))),
        Arguments.of("client_secret in the body, wrong", (Credentials) (g, token) -> channel.revokeRaw(
            "application/x-www-form-urlencoded", MoneiTestClient.form(Map.of("token", token,
                "client_id", g.app().clientId(), "client_secret", wrongSecret)))),
        Arguments.of("confidential app with client_id only", (Credentials) (g, token) -> channel.revokeRaw(
            "application/x-www-form-urlencoded", MoneiTestClient.form(Map.of("token", token,
                "client_id", g.app().clientId())))),
        Arguments.of("unknown client_id", (Credentials) (g, token) -> channel.revokeRaw(
            "application/x-www-form-urlencoded", MoneiTestClient.form(Map.of("token", token,
                "client_id", "mc_unknownclient", "client_secret", g.app().clientSecret())))),
        Arguments.of("another app's secret", (Credentials) (g, token) -> channel.revokeRaw(
            "application/x-www-form-urlencoded", MoneiTestClient.form(Map.of("token", token)),
            "Authorization", MoneiTestClient.basic(g.app().clientId(), server.app().create().clientSecret()))),
        Arguments.of("JSON body with a wrong secret", (Credentials) (g, token) -> channel.revokeRaw(
            "application/json", "{\"token\":\"" + token + "\",\"client_id\":\"" + g.app().clientId()
                + "\",\"client_secret\":\"" + wrongSecret + "\"}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongCredentials")
  void revokeWhenClientCredentialsWrongThen401InvalidClientAndNothingRevoked(String name, Credentials wrong) {
    Grant g = newGrant();

    HttpResponse<String> response = wrong.revoke(g, g.refresh());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(MoneiTestClient.error(response)).isEqualTo("invalid_client");
    assertThat(channel.profileStatus(g.access())).isEqualTo(200);
    assertThat(channel.refreshOutcome(g.app(), g.refresh())).isEqualTo("ok");
  }

  @Test
  void revokeWhenPublicAppSendsClientIdOnlyThenRevokesItsFamily() {
    TestServer.TestApp app = server.app().publicClient().name("Mobile").create();
    Grant g = signedIn().grantPublic(app, SCOPE);

    assertRevocationOk(channel.revoke(app, g.refresh()));

    assertThat(channel.profileStatus(g.access())).isEqualTo(401);
    assertThat(channel.refreshOutcome(app, g.refresh())).isEqualTo("invalid_grant");
  }

  @Test
  void revokeWhenPublicAppSendsASecretThen401InvalidClient() {
    TestServer.TestApp app = server.app().publicClient().name("Mobile").create();
    Grant g = signedIn().grantPublic(app, SCOPE);

    HttpResponse<String> response = channel.revokeRaw("application/x-www-form-urlencoded",
        MoneiTestClient.form(Map.of("token", g.refresh(), "client_id", app.clientId(),
            "client_secret", TokenFormat.generate(TokenFormat.CLIENT_SECRET))));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(MoneiTestClient.error(response)).isEqualTo("invalid_client");
    assertThat(channel.refreshOutcome(app, g.refresh())).isEqualTo("ok");
  }

  // ---- request shapes

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of("no token parameter", "application/x-www-form-urlencoded", "token_type_hint=access_token"),
        Arguments.of("empty token", "application/x-www-form-urlencoded", "token="),
        Arguments.of("empty form", "application/x-www-form-urlencoded", ""),
        Arguments.of("token repeated", "application/x-www-form-urlencoded", "token=mct_a&token=mct_b"),
        Arguments.of("JSON that does not parse", "application/json", "{\"token\": "),
        Arguments.of("JSON array", "application/json", "[\"mct_a\"]"),
        Arguments.of("JSON token not a string", "application/json", "{\"token\": 42}"),
        Arguments.of("text/plain", "text/plain", "token=mct_a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void revokeWhenBodyMalformedThen400InvalidRequestJson(String name, String contentType, String body) {
    TestServer.TestApp app = server.app().create();

    HttpResponse<String> response = channel.revokeRaw(contentType, body,
        "Authorization", MoneiTestClient.basic(app.clientId(), app.clientSecret()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertThat(MoneiTestClient.error(response)).isEqualTo("invalid_request");
    assertThat(MoneiTestClient.json(response).get("error_description").asText()).isNotBlank();
  }

  @Test
  void revokeWhenHintSaysAccessTokenForARefreshTokenThenStillRevokesTheFamily() {
    Grant g = newGrant();

    assertRevocationOk(channel.revoke(g.app(), g.refresh(), "access_token"));

    assertThat(channel.profileStatus(g.access())).isEqualTo(401);
    assertThat(channel.refreshOutcome(g.app(), g.refresh())).isEqualTo("invalid_grant");
  }

  @Test
  void revokeWhenHintSaysRefreshTokenForAnAccessTokenThenRevokesOnlyThatAccessToken() {
    Grant g = newGrant();

    assertRevocationOk(channel.revoke(g.app(), g.access(), "refresh_token"));

    assertThat(channel.profileStatus(g.access())).isEqualTo(401);
    assertThat(channel.refreshOutcome(g.app(), g.refresh())).isEqualTo("ok");
  }

  @Test
  void revokeWhenJsonBodyWithClientSecretThenRevokes() {
    Grant g = newGrant();

    HttpResponse<String> response = channel.revokeRaw("application/json", "{\"token\":\"" + g.refresh()
        + "\",\"token_type_hint\":\"refresh_token\",\"client_id\":\"" + g.app().clientId()
        + "\",\"client_secret\":\"" + g.app().clientSecret() + "\"}");

    assertRevocationOk(response);
    assertThat(channel.profileStatus(g.access())).isEqualTo(401);
    assertThat(channel.refreshOutcome(g.app(), g.refresh())).isEqualTo("invalid_grant");
  }

  @Test
  void revokeWhenClientSecretPostInFormThenRevokes() {
    Grant g = newGrant();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", g.access());
    form.put("client_id", g.app().clientId());
    form.put("client_secret", g.app().clientSecret());

    assertRevocationOk(channel.revokeRaw("application/x-www-form-urlencoded", MoneiTestClient.form(form)));

    assertThat(channel.profileStatus(g.access())).isEqualTo(401);
  }
}
