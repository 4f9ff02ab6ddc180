package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an app in production sees when things go wrong: request ids, not connected, outages, bad settings. */
class ProductionErrorsTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static MoneiConnect connect(String issuer, TokenStore store) {
    return MoneiConnect.builder().issuer(issuer).clientId("mc_app").clientSecret("mcs_secret").tokenStore(store)
        .redirectUri("http://localhost:3000/monei/callback").clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .retries(0).build();
  }

  private static InMemoryTokenStore connected() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    store.save("u", new StoredTokens("mct_1", "mcr_1", NOW.plusSeconds(3600), Set.of("wallet:read")));
    return store;
  }

  @Test
  void apiErrorWhenServerSendsRequestIdHeaderThenExceptionCarriesIt() {
    try (FakeMonei fake = FakeMonei.answering(r -> new FakeMonei.Response(403,
        "{\"error\":\"insufficient_scope\",\"error_description\":\"Needs wallet:send.\",\"request_id\":\"req_body\"}",
        Map.of("Request-Id", "req_header")))) {
      assertThatThrownBy(() -> connect(fake.url(), connected()).wallet("u").me())
          .isInstanceOfSatisfying(InsufficientScopeException.class, e -> {
            assertThat(e.requestId()).isEqualTo("req_header");
            assertThat(e.getMessage()).contains("req_header");
          });
    }
  }

  @Test
  void apiErrorWhenOnlyBodyNamesRequestIdThenExceptionCarriesIt() {
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(404,
        "{\"error\":\"recipient_not_found\",\"request_id\":\"req_42\"}"))) {
      assertThatThrownBy(() -> connect(fake.url(), connected()).wallet("u").send(
          SendMoney.of("friend@example.com", "1.00", "NGN", "x"), "key-1"))
          .isInstanceOfSatisfying(RecipientNotFoundException.class, e -> assertThat(e.requestId()).isEqualTo("req_42"));
    }
  }

  @Test
  void refreshRefusedWhenServerSendsRequestIdThenGrantRevokedCarriesIt() {
    try (FakeMonei fake = FakeMonei.answering(r -> new FakeMonei.Response(400, "{\"error\":\"invalid_grant\"}",
        Map.of("Request-Id", "req_refresh")))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", new StoredTokens("mct_1", "mcr_1", NOW.minusSeconds(1), Set.of("wallet:read")));
      assertThatThrownBy(() -> connect(fake.url(), store).wallet("u").me())
          .isInstanceOfSatisfying(GrantRevokedException.class, e -> assertThat(e.requestId()).isEqualTo("req_refresh"));
    }
  }

  @Test
  void apiErrorWhenServerNamesNoRequestIdThenNull() {
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(500, "{\"error\":\"server_error\"}"))) {
      assertThatThrownBy(() -> connect(fake.url(), connected()).wallet("u").me())
          .isInstanceOfSatisfying(MoneiApiException.class, e -> assertThat(e.requestId()).isNull());
    }
  }

  @Test
  void callWhenNothingStoredThenNotConnectedWhichOldCatchBlocksStillCatch() {
    try (FakeMonei fake = FakeMonei.tripwire()) {
      assertThatThrownBy(() -> connect(fake.url(), new InMemoryTokenStore()).wallet("nobody").me())
          .isInstanceOf(NotConnectedException.class).isInstanceOf(GrantRevokedException.class)
          .extracting("status").isEqualTo(0);
      assertThat(fake.requests).isEmpty();
    }
  }

  @Test
  void handleCallbackWhenMoneiUnreachableThenFailedNetworkError() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    InMemoryTokenStore store = new InMemoryTokenStore();
    MoneiConnect connect = connect("http://127.0.0.1:" + port, store);
    AuthorizationRequest pending = connect.authorizationRequest(Scopes.WALLET_READ);

    CallbackResult result = connect.handleCallback("code=abc&state=" + pending.state(), pending, "u");

    assertThat(result).isInstanceOfSatisfying(CallbackResult.Failed.class,
        f -> assertThat(f.error()).isEqualTo(ErrorCodes.NETWORK_ERROR));
    assertThat(store.size()).isZero();
  }

  @Test
  void buildWhenClientIdMissingThenNamesTheSetting() {
    assertThatThrownBy(() -> MoneiConnect.builder().issuer("https://connect.monei.example").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientId");
    assertThatThrownBy(() -> MoneiConnect.builder().issuer("https://connect.monei.example").clientId(" ").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientId");
  }

  @Test
  void buildWhenClientSecretSetButMissingThenNamesTheSetting() {
    assertThatThrownBy(() -> MoneiConnect.builder().issuer("https://connect.monei.example").clientId("mc_app")
        .clientSecret(System.getenv("MONEI_TEST_SURELY_UNSET_SECRET")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientSecret");
    assertThatThrownBy(() -> MoneiConnect.builder().issuer("https://connect.monei.example").clientId("mc_app")
        .clientSecret("").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientSecret");
  }

  @Test
  void buildWhenSecretLeftUnsetThenPublicApp() {
    assertThat(MoneiConnect.builder().issuer("https://connect.monei.example").clientId("mc_public").build()
        .clientId()).isEqualTo("mc_public");
  }
}
