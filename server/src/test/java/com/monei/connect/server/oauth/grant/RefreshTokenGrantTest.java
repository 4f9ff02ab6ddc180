package com.monei.connect.server.oauth.grant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** grant_type=refresh_token: rotation, grace window, reuse detection, scope narrowing. */
@WithTestServer
class RefreshTokenGrantTest {
  static TestServer server;
  static MoneiTestClient tokens;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
  }

  private record Grant(TestServer.TestApp app, String access, String refresh) {}

  private Grant newGrant(String scope) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    String code = flow.approve(app, scope, List.of(scope.split(" ")));
    JsonNode body = tokens.exchangeOk(app, code);
    return new Grant(app, body.get("access_token").asText(), body.get("refresh_token").asText());
  }

  private HttpResponse<String> refresh(TestServer.TestApp app, String refreshToken, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    if (scope != null) form.put("scope", scope);
    return tokens.tokenPostForm(form, "Authorization", MoneiTestClient.basic(app.clientId(), app.clientSecret()));
  }

  private static String error(HttpResponse<String> response) {
    return MoneiTestClient.json(response).get("error").asText();
  }

  private int profileStatus(String access) {
    return tokens.api("/api/v1/profile/me", access).statusCode();
  }

  @Test
  void refreshWhenValidThenRotatesBothTokens() {
    Grant g = newGrant("profile:read wallet:read");
    HttpResponse<String> response = refresh(g.app(), g.refresh(), null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = MoneiTestClient.json(response);
    assertThat(body.get("refresh_token").asText()).startsWith("mcr_").isNotEqualTo(g.refresh());
    assertThat(body.get("access_token").asText()).startsWith("mct_").isNotEqualTo(g.access());
    assertThat(body.get("scope").asText()).isEqualTo("profile:read wallet:read");
    assertThat(profileStatus(body.get("access_token").asText())).isEqualTo(200);
  }

  @Test
  void refreshWhenJsonBodyThenWorks() {
    Grant g = newGrant("profile:read");
    HttpResponse<String> response = tokens.tokenPostJson("{\"grant_type\":\"refresh_token\",\"refresh_token\":\""
        + g.refresh() + "\",\"client_id\":\"" + g.app().clientId() + "\",\"client_secret\":\"" + g.app().clientSecret()
        + "\"}");
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void refreshWhenOldTokenReplayedAfterGraceWindowThenRevokesFamily() {
    Grant g = newGrant("profile:read");
    JsonNode rotated = MoneiTestClient.json(refresh(g.app(), g.refresh(), null));
    String newest = rotated.get("access_token").asText();
    assertThat(profileStatus(newest)).isEqualTo(200);

    server.advance(Duration.ofSeconds(31));
    HttpResponse<String> replay = refresh(g.app(), g.refresh(), null);
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(error(replay)).isEqualTo("invalid_grant");
    assertThat(profileStatus(newest)).isEqualTo(401);
    assertThat(error(refresh(g.app(), rotated.get("refresh_token").asText(), null))).isEqualTo("invalid_grant");
  }

  @Test
  void refreshWhenPreviousTokenRetriedInsideGraceWindowThenSameSuccessorPair() {
    Grant g = newGrant("profile:read");
    JsonNode first = MoneiTestClient.json(refresh(g.app(), g.refresh(), null));
    server.advance(Duration.ofSeconds(10));
    HttpResponse<String> retry = refresh(g.app(), g.refresh(), null);
    assertThat(retry.statusCode()).isEqualTo(200);
    JsonNode second = MoneiTestClient.json(retry);
    assertThat(second.get("refresh_token").asText()).isEqualTo(first.get("refresh_token").asText());
    assertThat(second.get("access_token").asText()).isEqualTo(first.get("access_token").asText());
    // the family is alive and the successor rotates normally
    assertThat(profileStatus(first.get("access_token").asText())).isEqualTo(200);
    assertThat(refresh(g.app(), first.get("refresh_token").asText(), null).statusCode()).isEqualTo(200);
  }

  @Test
  void refreshWhenTokenTwoGenerationsBackReplayedInsideWindowThenRevokesFamily() {
    Grant g = newGrant("profile:read");
    JsonNode gen1 = MoneiTestClient.json(refresh(g.app(), g.refresh(), null));
    JsonNode gen2 = MoneiTestClient.json(refresh(g.app(), gen1.get("refresh_token").asText(), null));
    HttpResponse<String> replay = refresh(g.app(), g.refresh(), null);
    assertThat(error(replay)).isEqualTo("invalid_grant");
    assertThat(profileStatus(gen2.get("access_token").asText())).isEqualTo(401);
  }

  @Test
  void refreshWhenScopeNarrowedThenAccessTokenHasLessAndRefreshKeepsAll() {
    Grant g = newGrant("profile:read wallet:read");
    JsonNode narrowed = MoneiTestClient.json(refresh(g.app(), g.refresh(), "profile:read"));
    assertThat(narrowed.get("scope").asText()).isEqualTo("profile:read");
    String access = narrowed.get("access_token").asText();
    assertThat(tokens.api("/api/v1/wallet/me", access).statusCode()).isEqualTo(403);
    assertThat(profileStatus(access)).isEqualTo(200);
    JsonNode again = MoneiTestClient.json(refresh(g.app(), narrowed.get("refresh_token").asText(), null));
    assertThat(again.get("scope").asText()).isEqualTo("profile:read wallet:read");
  }

  @Test
  void refreshWhenScopeWidenedThenInvalidScope() {
    Grant g = newGrant("profile:read");
    HttpResponse<String> response = refresh(g.app(), g.refresh(), "profile:read wallet:send");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).isEqualTo("invalid_scope");
    assertThat(refresh(g.app(), g.refresh(), null).statusCode()).as("token still usable").isEqualTo(200);
  }

  @Test
  void refreshWhenAnotherAppsTokenThenInvalidGrant() {
    Grant g = newGrant("profile:read");
    TestServer.TestApp other = server.app().create();
    HttpResponse<String> response = refresh(other, g.refresh(), null);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).isEqualTo("invalid_grant");
  }

  @Test
  void refreshWhenExpiredThenInvalidGrant() {
    Grant g = newGrant("profile:read");
    server.advance(Duration.ofDays(30).plusSeconds(1));
    assertThat(error(refresh(g.app(), g.refresh(), null))).isEqualTo("invalid_grant");
  }

  @Test
  void refreshWhenGarbageOrAccessTokenThenInvalidGrant() {
    Grant g = newGrant("profile:read");
    assertThat(error(refresh(g.app(), "mcr_garbage", null))).isEqualTo("invalid_grant");
    assertThat(error(refresh(g.app(), g.access(), null))).isEqualTo("invalid_grant");
  }

  @Test
  void refreshWhenManyConcurrentCallersInsideWindowThenAllGetSameSuccessor() throws Exception {
    Grant g = newGrant("profile:read wallet:read");
    int callers = 12;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) futures.add(pool.submit(() -> refresh(g.app(), g.refresh(), null)));
      Set<String> refreshTokens = new HashSet<>();
      Set<String> accessTokens = new HashSet<>();
      for (Future<HttpResponse<String>> f : futures) {
        HttpResponse<String> response = f.get();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = MoneiTestClient.json(response);
        refreshTokens.add(body.get("refresh_token").asText());
        accessTokens.add(body.get("access_token").asText());
      }
      assertThat(refreshTokens).hasSize(1);
      assertThat(accessTokens).hasSize(1);
      assertThat(profileStatus(accessTokens.iterator().next())).isEqualTo(200);
      assertThat(refresh(g.app(), refreshTokens.iterator().next(), null).statusCode()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refreshWhenGraceWindowZeroThenAnyReuseRevokesFamily() {
    // Own server: only this case runs without a grace window.
    // Own server: only this case runs without a grace window.
    try (TestServer strict = TestServer.start(c -> c.withRefreshGrace(Duration.ZERO))) {
      MoneiTestClient strictTokens = new MoneiTestClient(strict);
      User user = strict.user();
      TestServer.TestApp app = strict.app().create();
      String code = new MoneiTestClient(strict).signIn(user).approve(app, "profile:read", List.of("profile:read"));
      JsonNode body = strictTokens.exchangeOk(app, code);
      Map<String, String> form = Map.of("grant_type", "refresh_token", "refresh_token",
          body.get("refresh_token").asText(), "client_id", app.clientId(), "client_secret", app.clientSecret());
      JsonNode rotated = MoneiTestClient.json(strictTokens.tokenPostForm(form));
      HttpResponse<String> replay = strictTokens.tokenPostForm(form);
      assertThat(MoneiTestClient.json(replay).get("error").asText()).isEqualTo("invalid_grant");
      assertThat(strictTokens.api("/api/v1/profile/me", rotated.get("access_token").asText()).statusCode())
          .isEqualTo(401);
    }
  }
}
