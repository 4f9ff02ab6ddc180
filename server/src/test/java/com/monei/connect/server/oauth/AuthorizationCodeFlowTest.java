package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole flow over real HTTP: sign-in, per-scope consent, code, token, API. */
@WithTestServer
class AuthorizationCodeFlowTest {
  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @Test
  void authorizeWhenAllScopesApprovedThenTokenCallsEveryEndpoint() {
    User user = server.user();
    server.credit(user, "NGN", "1500.00");
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> first = flow.get(flow.authorizeUrl(app, "wallet:read profile:read", "xyz"));
    assertThat(first.statusCode()).isEqualTo(302);
    assertThat(first.headers().firstValue("Location").orElseThrow()).startsWith("/login?return_to=");

    flow.signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "wallet:read profile:read", "xyz"));
    assertThat(screen.offeredScopes()).containsExactly("profile:read", "wallet:read");
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("profile:read", "wallet:read"));
    assertThat(redirect.statusCode()).isEqualTo(303);
    Map<String, String> params = MoneiTestClient.query(redirect);
    assertThat(redirect.headers().firstValue("Location").orElseThrow()).startsWith(app.redirectUri() + "?");
    assertThat(params).containsEntry("state", "xyz").containsEntry("iss", server.issuer()).containsKey("code");

    MoneiTestClient tokens = new MoneiTestClient(server);
    HttpResponse<String> exchange = tokens.exchange(app, params.get("code"));
    assertThat(exchange.statusCode()).isEqualTo(200);
    assertThat(exchange.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = MoneiTestClient.json(exchange);
    assertThat(body.get("access_token").asText()).startsWith("mct_").hasSize(4 + 43 + 6);
    assertThat(body.get("refresh_token").asText()).startsWith("mcr_").hasSize(4 + 43 + 6);
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asInt()).isEqualTo(3600);
    assertThat(body.get("scope").asText()).isEqualTo("profile:read wallet:read");
    assertThat(body.get("scopes")).extracting(JsonNode::asText).containsExactly("profile:read", "wallet:read");

    String access = body.get("access_token").asText();
    JsonNode wallet = MoneiTestClient.json(tokens.api("/api/v1/wallet/me", access));
    assertThat(wallet.get("wallet_id").asText()).startsWith("wal_");
    assertThat(wallet.get("balances").get(0).get("currency").asText()).isEqualTo("NGN");
    assertThat(wallet.get("balances").get(0).get("available").asText()).isEqualTo("1500.00");
    JsonNode profile = MoneiTestClient.json(tokens.api("/api/v1/profile/me", access));
    assertThat(profile.get("email").asText()).isEqualTo(user.email());
    assertThat(profile.get("id").asText()).isEqualTo(user.id());
  }
}
