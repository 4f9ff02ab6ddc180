package com.monei.connect.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.MoneiTestClient.Grant;
import com.monei.connect.server.support.RawHttp;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 1.4: every API, token, revoke and introspect response carries a {@code Request-Id} drawn by
 * Monei, and every JSON error body repeats it as {@code request_id}.
 */
@WithTestServer
class RequestIdTest {
  private static final String ID = "req_[0-9A-Za-z]{22}";

  static TestServer server;
  static MoneiTestClient client;
  static TestServer.TestApp app;
  static TestServer.TestApp resourceServer;
  static User sender;
  static Grant grant;
  /** The sender's browser, signed in. */
  static MoneiTestClient flow;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    client = new MoneiTestClient(server);
    app = server.app().create();
    resourceServer = server.app().name("Resource Server").resourceServer().create();
    sender = server.user();
    server.credit(sender, "NGN", "10.00");
    flow = new MoneiTestClient(server).signIn(sender);
    String scope = "profile:read wallet:read wallet:send";
    var screen = flow.openConsent(flow.authorizeUrl(app, scope, "s"));
    var redirect = flow.submitConsent(screen, "allow", List.of(scope.split(" ")),
        "send_limit", "5000.00", "send_limit_currency", "NGN");
    grant = client.redeem(app, MoneiTestClient.query(redirect).get("code"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/wallet/me", "/api/v1/wallet/transactions", "/api/v1/wallet/limits",
      "/api/v1/profile/me"})
  void apiWhenAnsweredThenCarriesAnId(String path) {
    assertId(client.api(path, grant.access()), 200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/wallet/me", "/api/v1/wallet/transactions", "/api/v1/wallet/limits",
      "/api/v1/profile/me", "/api/v1/wallet/nowhere"})
  void apiWhenRefusedThenTheBodyRepeatsTheHeader(String path) {
    assertErrorId(client.api(path, null), path.endsWith("nowhere") ? 404 : 401);
  }

  @Test
  void sendWhenCompletedOrRefusedThenCarriesAnId() {
    User recipient = server.user();
    assertId(client.sendMoney(grant.access(), key(), send(recipient, "1.00")), 201);
    assertErrorId(client.sendMoney(null, key(), send(recipient, "1.00")), 401);
    assertErrorId(client.sendMoney(grant.access(), key(), "not json"), 400);
  }

  @Test
  void sendWhenAStoredErrorIsReplayedThenItCarriesTheReplaysOwnId() {
    String key = key();
    String body = send(server.user(), "1000.00");
    HttpResponse<String> first = client.sendMoney(grant.access(), key, body);
    HttpResponse<String> replay = client.sendMoney(grant.access(), key, body);

    assertErrorId(first, 422);
    assertErrorId(replay, 422);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(header(replay)).isNotEqualTo(header(first));
  }

  @Test
  void tokenEndpointWhenAnsweredOrRefusedThenCarriesAnId() {
    TestServer.TestApp fresh = server.app().create();
    assertId(client.refresh(fresh, flow.grant(fresh, "profile:read").refresh()), 200);
    assertErrorId(client.tokenPost("application/json", "{not json"), 400);
    assertErrorId(client.tokenPostForm(Map.of("grant_type", "refresh_token", "refresh_token", "mcr_x",
        "client_id", app.clientId(), "client_secret", "wrong")), 401);
  }

  @Test
  void revokeAndIntrospectWhenAnsweredOrRefusedThenCarryAnId() {
    TestServer.TestApp fresh = server.app().create();
    Grant other = flow.grant(fresh, "profile:read");
    assertId(client.introspect(resourceServer, other.access()), 200);
    assertId(client.revoke(fresh, other.refresh()), 200);
    assertErrorId(client.revokeRaw("application/x-www-form-urlencoded", "token=x"), 401);
    assertErrorId(client.introspectRaw("application/x-www-form-urlencoded", "token=x"), 401);
  }

  @Test
  void idWhenTheClientSendsOneThenMoneiDrawsItsOwnEachTime() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> response = client.get(server.url() + "/api/v1/profile/me", "Request-Id", "req_mine");
      ids.add(header(response));
      assertThat(MoneiTestClient.json(response).get("request_id").asText()).isEqualTo(header(response));
    }
    assertThat(ids).hasSize(5).doesNotContain("req_mine").allMatch(id -> id.matches(ID));
  }

  @Test
  void apiWhenJettyRefusesTheRequestItselfThenTheAnswerStillCarriesAnId() throws Exception {
    RawHttp.Response response = new RawHttp(server).request("GET", "/api/v1/wallet/me", "",
        "X-Padding", "x".repeat(64 * 1024));

    assertThat(response.status()).as(response.text()).isBetween(400, 499);
    String id = response.header("Request-Id").orElse("");
    assertThat(id).matches(ID);
    assertThat(new ObjectMapper().readTree(response.text()).get("request_id").asText()).isEqualTo(id);
  }

  private static void assertId(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(header(response)).matches(ID);
  }

  private static void assertErrorId(HttpResponse<String> response, int status) {
    assertId(response, status);
    JsonNode body = MoneiTestClient.json(response);
    assertThat(body.get("error").asText()).isNotEmpty();
    assertThat(body.get("request_id").asText()).isEqualTo(header(response));
  }

  private static String header(HttpResponse<String> response) {
    return response.headers().firstValue("Request-Id").orElse("");
  }

  private static String send(User to, String amount) {
    return "{\"to\":\"" + to.email() + "\",\"amount\":\"" + amount + "\",\"currency\":\"NGN\"}";
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }
}
