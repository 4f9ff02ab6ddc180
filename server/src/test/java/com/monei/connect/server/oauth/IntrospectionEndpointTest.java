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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 1.5 / RFC 7662: POST /api/v1/connect/introspect, asked by a resource server (a confidential
 * app registered as one) or by the app the token was issued to; nobody else learns anything.
 */
@WithTestServer
class IntrospectionEndpointTest {
  private static final String SCOPE = "profile:read wallet:read";

  static TestServer server;
  static MoneiTestClient channel;
  /** The resource server asking: a confidential app registered as one. */
  static TestServer.TestApp resourceServer;
  static User user;
  static MoneiTestClient flow;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    channel = new MoneiTestClient(server);
    resourceServer = server.app().name("Resource Server").resourceServer().create();
    user = server.user();
    flow = new MoneiTestClient(server).signIn(user);
  }

  private record Owned(User user, Grant grant) {}

  /**
   * The class's user, signed in. Each test uses a new app, so its token families are its own; the
   * browser signs in again when an earlier test moved the clock past the session.
   */
  private static MoneiTestClient signedIn() {
    if (flow.get(server.url() + "/").statusCode() != 200) flow.signIn(user);
    return flow;
  }

  private static Owned newGrant() {
    return new Owned(user, signedIn().grant(server.app().create(), SCOPE));
  }

  private static JsonNode introspectOk(TestServer.TestApp caller, String token) {
    HttpResponse<String> response = channel.introspect(caller, token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    return MoneiTestClient.json(response);
  }

  private static void assertInactive(JsonNode body) {
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    // RFC 7662 §2.2: for a token that is not active the server SHOULD NOT reveal anything else.
    assertThat(fields).as("only 'active' in %s", body).containsExactly("active");
    assertThat(body.get("active").isBoolean()).isTrue();
    assertThat(body.get("active").asBoolean()).isFalse();
  }

  // ---- active tokens

  @Test
  void introspectWhenActiveAccessTokenThenActiveWithScopeClientSubjectAndLifetime() {
    long issuedAt = server.clock.instant().getEpochSecond();
    Owned o = newGrant();

    JsonNode body = introspectOk(resourceServer, o.grant().access());

    assertThat(body.get("active").isBoolean()).isTrue();
    assertThat(body.get("active").asBoolean()).isTrue();
    assertThat(body.get("scope").asText()).isEqualTo("profile:read wallet:read");
    assertThat(body.get("client_id").asText()).isEqualTo(o.grant().app().clientId());
    assertThat(body.get("sub").asText()).isEqualTo(o.user().id());
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("iat").isIntegralNumber()).as("iat in epoch seconds: %s", body).isTrue();
    assertThat(body.get("exp").isIntegralNumber()).as("exp in epoch seconds: %s", body).isTrue();
    assertThat(body.get("iat").asLong()).isEqualTo(issuedAt);
    assertThat(body.get("exp").asLong() - body.get("iat").asLong()).isEqualTo(3600);
  }

  @Test
  void introspectWhenAskedByTheTokensOwnAppThenActiveToo() {
    Owned o = newGrant();

    JsonNode body = introspectOk(o.grant().app(), o.grant().access());

    assertThat(body.get("active").asBoolean()).isTrue();
    assertThat(body.get("client_id").asText()).isEqualTo(o.grant().app().clientId());
  }

  @Test
  void introspectWhenActiveRefreshTokenAskedByItsAppThenActiveWithThirtyDayLifetime() {
    Owned o = newGrant();

    JsonNode body = introspectOk(o.grant().app(), o.grant().refresh());

    assertThat(body.get("active").asBoolean()).isTrue();
    assertThat(body.get("client_id").asText()).isEqualTo(o.grant().app().clientId());
    assertThat(body.get("sub").asText()).isEqualTo(o.user().id());
    assertThat(body.get("scope").asText()).isEqualTo("profile:read wallet:read");
    assertThat(body.get("exp").asLong() - body.get("iat").asLong()).isEqualTo(Duration.ofDays(30).toSeconds());
  }

  @Test
  void introspectWhenAccessTokenNarrowedByRefreshThenScopeIsTheNarrowOne() {
    Owned o = newGrant();
    HttpResponse<String> narrowed = new MoneiTestClient(server).tokenPostForm(Map.of("grant_type", "refresh_token",
        "refresh_token", o.grant().refresh(), "scope", "profile:read", "client_id", o.grant().app().clientId(),
        "client_secret", o.grant().app().clientSecret()));
    assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);

    JsonNode body = introspectOk(resourceServer, MoneiTestClient.json(narrowed).get("access_token").asText());

    assertThat(body.get("scope").asText()).isEqualTo("profile:read");
  }

  @Test
  void introspectWhenJsonBodyWithClientSecretThenAnswers() {
    Owned o = newGrant();

    HttpResponse<String> response = channel.introspectRaw("application/json", "{\"token\":\"" + o.grant().access()
        + "\",\"client_id\":\"" + resourceServer.clientId() + "\",\"client_secret\":\""
        + resourceServer.clientSecret() + "\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(MoneiTestClient.json(response).get("active").asBoolean()).isTrue();
  }

  // ---- tokens that are not active

  @Test
  void introspectWhenAccessTokenExpiredThenInactive() {
    Owned o = newGrant();
    server.advance(Duration.ofSeconds(3601));

    assertInactive(introspectOk(resourceServer, o.grant().access()));
    assertThat(introspectOk(o.grant().app(), o.grant().refresh()).get("active").asBoolean())
        .as("the refresh token lives on").isTrue();
  }

  @Test
  void introspectWhenRefreshTokenExpiredThenInactive() {
    Owned o = newGrant();
    server.advance(Duration.ofDays(30).plusSeconds(1));

    assertInactive(introspectOk(o.grant().app(), o.grant().refresh()));
  }

  @ParameterizedTest(name = "revoked {0} token")
  @ValueSource(strings = {"access", "refresh"})
  void introspectWhenRevokedThroughRevocationEndpointThenInactive(String which) {
    Owned o = newGrant();
    String token = which.equals("access") ? o.grant().access() : o.grant().refresh();
    assertThat(channel.revoke(o.grant().app(), token).statusCode()).isEqualTo(200);

    assertInactive(introspectOk(o.grant().app(), token));
  }

  @Test
  void introspectWhenRefreshTokenRevokedThenItsFamilysAccessTokenInactiveToo() {
    Owned o = newGrant();
    assertThat(channel.revoke(o.grant().app(), o.grant().refresh()).statusCode()).isEqualTo(200);

    assertInactive(introspectOk(resourceServer, o.grant().access()));
  }

  @Test
  void introspectWhenRefreshTokenRotatedAndGraceWindowOverThenInactiveAndSuccessorActive() {
    Owned o = newGrant();
    JsonNode rotated = MoneiTestClient.json(channel.refresh(o.grant().app(), o.grant().refresh()));
    server.advance(Duration.ofSeconds(31));

    assertInactive(introspectOk(o.grant().app(), o.grant().refresh()));
    // asking about the used token is not a replay: the family stays alive
    assertThat(introspectOk(o.grant().app(), rotated.get("refresh_token").asText()).get("active").asBoolean())
        .isTrue();
    assertThat(channel.refreshOutcome(o.grant().app(), rotated.get("refresh_token").asText())).isEqualTo("ok");
  }

  @Test
  void introspectWhenRefreshReuseRevokedTheFamilyThenEveryTokenInactive() {
    Owned o = newGrant();
    JsonNode rotated = MoneiTestClient.json(channel.refresh(o.grant().app(), o.grant().refresh()));
    server.advance(Duration.ofSeconds(31));
    assertThat(channel.refreshOutcome(o.grant().app(), o.grant().refresh())).isEqualTo("invalid_grant");

    assertInactive(introspectOk(resourceServer, rotated.get("access_token").asText()));
    assertInactive(introspectOk(o.grant().app(), rotated.get("refresh_token").asText()));
  }

  static Stream<Arguments> unknownTokens() {
    return Stream.of(
        Arguments.of("garbage", (Function<Grant, String>) g -> "garbage"),
        Arguments.of("empty-looking prefix only", (Function<Grant, String>) g -> "mct_"),
        Arguments.of("well-formed unknown access token", (Function<Grant, String>) g ->
            TokenFormat.generate(TokenFormat.ACCESS_TOKEN)),
        Arguments.of("well-formed unknown refresh token", (Function<Grant, String>) g ->
            TokenFormat.generate(TokenFormat.REFRESH_TOKEN)),
        Arguments.of("real access token with a broken checksum", (Function<Grant, String>) g ->
            g.access().substring(0, g.access().length() - 1) + (g.access().endsWith("0") ? "1" : "0")),
        Arguments.of("a client secret", (Function<Grant, String>) g -> g.app().clientSecret()),
        Arguments.of("a client id", (Function<Grant, String>) g -> g.app().clientId()),
        Arguments.of("4 KB of junk", (Function<Grant, String>) g -> "x".repeat(4096)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownTokens")
  void introspectWhenTokenUnknownThenOnlyActiveFalse(String name, Function<Grant, String> token) {
    Owned o = newGrant();

    assertInactive(introspectOk(resourceServer, token.apply(o.grant())));
  }

  @Test
  void introspectWhenAuthorizationCodeThenInactive() {
    TestServer.TestApp app = server.app().create();
    String code = signedIn().approve(app, "profile:read", List.of("profile:read"));

    assertInactive(introspectOk(resourceServer, code));
  }

  // ---- who may ask

  @Test
  void introspectWhenAnotherOrdinaryAppAsksThenBothTokensOnlyActiveFalse() {
    Owned b = newGrant();
    TestServer.TestApp a = server.app().name("Nosy App").create();

    assertInactive(introspectOk(a, b.grant().access()));
    assertInactive(introspectOk(a, b.grant().refresh()));
    assertThat(introspectOk(b.grant().app(), b.grant().access()).get("active").asBoolean())
        .as("the tokens are live all the same").isTrue();
  }

  @Test
  void introspectWhenTheTokensOwnAppAsksThenAccessAndRefreshActive() {
    Owned o = newGrant();

    JsonNode access = introspectOk(o.grant().app(), o.grant().access());
    JsonNode refresh = introspectOk(o.grant().app(), o.grant().refresh());

    assertThat(access.get("active").asBoolean()).isTrue();
    assertThat(access.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(refresh.get("active").asBoolean()).isTrue();
    assertThat(refresh.get("token_type").asText()).isEqualTo("refresh_token");
    assertThat(refresh.get("client_id").asText()).isEqualTo(o.grant().app().clientId());
  }

  @Test
  void introspectWhenResourceServerAsksThenOtherAppsAccessTokenActiveButItsRefreshTokenNot() {
    Owned b = newGrant();

    JsonNode access = introspectOk(resourceServer, b.grant().access());

    assertThat(access.get("active").asBoolean()).isTrue();
    assertThat(access.get("client_id").asText()).isEqualTo(b.grant().app().clientId());
    assertThat(access.get("sub").asText()).isEqualTo(b.user().id());
    assertInactive(introspectOk(resourceServer, b.grant().refresh()));
  }

  @Test
  void introspectWhenResourceServerAsksAboutItsOwnRefreshTokenThenActive() {
    Owned own = new Owned(user, signedIn().grant(resourceServer, SCOPE));

    assertThat(introspectOk(resourceServer, own.grant().refresh()).get("active").asBoolean()).isTrue();
  }

  @Test
  void introspectWhenPublicAppAsksAboutItsOwnTokenThen401InvalidClient() {
    TestServer.TestApp publicApp = server.app().publicClient().name("Own Public").create();
    Grant own = signedIn().grantPublic(publicApp, SCOPE);

    HttpResponse<String> response = channel.introspectRaw("application/x-www-form-urlencoded",
        MoneiTestClient.form(Map.of("token", own.access(), "client_id", publicApp.clientId())));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(MoneiTestClient.error(response)).isEqualTo("invalid_client");
  }

  @Test
  void introspectWhenPublicAppCredentialsThen401InvalidClient() {
    Owned o = newGrant();
    TestServer.TestApp publicApp = server.app().publicClient().name("Public").create();

    HttpResponse<String> response = channel.introspectRaw("application/x-www-form-urlencoded",
        MoneiTestClient.form(Map.of("token", o.grant().access(), "client_id", publicApp.clientId())));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(MoneiTestClient.error(response)).isEqualTo("invalid_client");
    assertThat(response.body()).doesNotContain("\"active\"");
  }

  /** A way of asking about {@code token} without valid confidential-app credentials. */
  interface Caller {
    HttpResponse<String> introspect(String token);
  }

  private static HttpResponse<String> formWith(String token, String... credentialPairs) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", token);
    for (int i = 0; i + 1 < credentialPairs.length; i += 2) form.put(credentialPairs[i], credentialPairs[i + 1]);
    return channel.introspectRaw("application/x-www-form-urlencoded", MoneiTestClient.form(form));
  }

  static Stream<Arguments> wrongCredentials() {
    String wrongSecret = TokenFormat.generate(TokenFormat.CLIENT_SECRET);
    return Stream.of(
        Arguments.of("no credentials at all", (Caller) token -> formWith(token)),
        Arguments.of("HTTP Basic with a wrong secret", (Caller) token -> channel.introspectRaw(
            "application/x-www-form-urlencoded", MoneiTestClient.form(Map.of("token", token)),
            "Authorization", MoneiTestClient.basic(resourceServer.clientId(), wrongSecret))),
        Arguments.of("client_secret in the body, wrong", (Caller) token -> formWith(token,
            "client_id", resourceServer.clientId(), "client_secret", wrongSecret)),
        Arguments.of("confidential client_id without its secret", (Caller) token -> formWith(token,
            "client_id", resourceServer.clientId())),
        Arguments.of("unknown client_id", (Caller) token -> formWith(token,
            "client_id", "mc_nosuchapp", "client_secret", wrongSecret)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongCredentials")
  void introspectWhenCredentialsMissingOrWrongThen401InvalidClient(String name, Caller caller) {
    Owned o = newGrant();

    HttpResponse<String> response = caller.introspect(o.grant().access());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(MoneiTestClient.error(response)).isEqualTo("invalid_client");
    assertThat(response.body()).doesNotContain("\"active\"");
  }

  @Test
  void introspectWhenTokenParameterMissingThen400InvalidRequest() {
    HttpResponse<String> response = channel.introspectRaw("application/x-www-form-urlencoded", "",
        "Authorization", MoneiTestClient.basic(resourceServer.clientId(), resourceServer.clientSecret()));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(MoneiTestClient.error(response)).isEqualTo("invalid_request");
  }

  // ---- caching

  @ParameterizedTest(name = "{0} answer")
  @ValueSource(strings = {"active", "inactive"})
  void introspectWhenAnsweredThenCacheControlNoStore(String kind) {
    Owned o = newGrant();
    String token = kind.equals("active") ? o.grant().access() : TokenFormat.generate(TokenFormat.ACCESS_TOKEN);

    HttpResponse<String> response = channel.introspect(resourceServer, token);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
  }
}
