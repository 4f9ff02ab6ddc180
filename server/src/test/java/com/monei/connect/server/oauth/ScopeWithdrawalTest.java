package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A scope the user withdraws with prompt=consent stops working in every earlier token at once. */
@WithTestServer
class ScopeWithdrawalTest {
  static TestServer server;
  static MoneiTestClient tokens;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
  }

  @Test
  void consentWhenScopeWithdrawnThenEarlierTokensStopAndNewTokensCarryTheRest() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    JsonNode earlier = tokens.exchangeOk(app, flow.approve(app, "profile:read wallet:read",
        List.of("profile:read", "wallet:read")));

    var screen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(), "redirect_uri", app.redirectUri(),
        "scope", "profile:read wallet:read", "state", "w", "prompt", "consent"));
    var redirect = flow.submitConsent(screen, "allow", List.of("profile:read"));
    JsonNode now = tokens.exchangeOk(app, MoneiTestClient.query(redirect).get("code"));

    assertThat(now.get("scope").asText()).isEqualTo("profile:read");
    assertThat(tokens.api("/api/v1/wallet/me", earlier.get("access_token").asText()).statusCode()).isEqualTo(401);
    assertThat(MoneiTestClient.json(tokens.tokenPostForm(Map.of("grant_type", "refresh_token", "refresh_token",
        earlier.get("refresh_token").asText(), "client_id", app.clientId(), "client_secret", app.clientSecret())))
        .get("error").asText()).isEqualTo("invalid_grant");
    assertThat(tokens.api("/api/v1/profile/me", now.get("access_token").asText()).statusCode()).isEqualTo(200);
    assertThat(tokens.api("/api/v1/wallet/me", now.get("access_token").asText()).statusCode()).isEqualTo(403);
  }

  @Test
  void consentWhenPromptConsentKeepsEveryScopeThenEarlierTokensKeepWorking() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    JsonNode earlier = tokens.exchangeOk(app, flow.approve(app, "profile:read", List.of("profile:read")));
    var screen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(), "redirect_uri", app.redirectUri(),
        "scope", "profile:read", "state", "w", "prompt", "consent"));
    assertThat(flow.submitConsent(screen, "allow", List.of("profile:read")).statusCode()).isEqualTo(303);
    assertThat(tokens.api("/api/v1/profile/me", earlier.get("access_token").asText()).statusCode()).isEqualTo(200);
  }
}
