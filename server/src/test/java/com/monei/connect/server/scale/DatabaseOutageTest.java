package com.monei.connect.server.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.Config;
import com.monei.connect.server.ServerApp;
import com.monei.connect.server.Services;
import com.monei.connect.server.account.User;
import com.monei.connect.server.app.AppRegistration;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.PostgresCluster;
import com.monei.connect.server.support.TestDatabases;
import com.monei.connect.server.support.TestServer;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under load: requests answer 503 in the spec's error shape (never a 500 or a
 * stack trace), /readyz fails; PostgreSQL back: the same process serves again, and every send
 * acknowledged before the outage is still in the ledger. Runs in the PostgreSQL pass.
 */
class DatabaseOutageTest {
  static final String CALLBACK = "http://localhost:3000/monei/callback";

  @Test
  void requestsWhenDatabaseStoppedThen503AndWhenBackThenServedAgainWithNothingLost() throws Exception {
    assumeTrue(TestDatabases.onPostgres() && PostgresCluster.available(), "needs root and PostgreSQL binaries");
    try (PostgresCluster pg = PostgresCluster.create()) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Config config = Config.defaults(port).withDb(pg.url()).withDbCredentials("monei", null);
      try (ServerApp app = ServerApp.create(config, Clock.systemUTC()).start()) {
        Services services = app.services();
        String base = "http://localhost:" + port;
        User sender = services.accounts.create("outage-sender@monei.test", "Sender", TestServer.PASSWORD);
        User recipient = services.accounts.create("outage-recipient@monei.test", "Recipient", TestServer.PASSWORD);
        services.wallets.credit(sender.id(), "NGN", "1000.00");
        AppRegistration.Registered registered = services.registration.register("Outage App", List.of(CALLBACK), null, false, null);

        MoneiTestClient http = new MoneiTestClient();
        MoneiTestClient flow = new MoneiTestClient(base).signIn(sender.email(), TestServer.PASSWORD);
        var screen = flow.openConsent(flow.authorizeUrl("client_id", registered.app().clientId(), "redirect_uri", CALLBACK,
            "scope", "wallet:read wallet:send", "state", "o"));
        String code = MoneiTestClient.query(flow.submitConsent(screen, "allow", List.of("wallet:read", "wallet:send"),
            "send_limit", "100000.00", "send_limit_currency", "NGN")).get("code");
        JsonNode tokens = MoneiTestClient.json(http.postForm(base + "/api/v1/connect/token",
            Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK),
            "Authorization", MoneiTestClient.basic(registered.app().clientId(), registered.clientSecret())));
        String access = tokens.get("access_token").asText();

        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          HttpResponse<String> r = send(http, base, access, recipient.email());
          assertThat(r.statusCode()).isEqualTo(201);
          acknowledged.add(MoneiTestClient.json(r).get("id").asText());
        }

        pg.stop();
        // Each answer waits out the pool's 3 s connection timeout, so one round is enough.
        assertUnavailable(http.get(base + "/api/v1/wallet/me", "Authorization", "Bearer " + access));
        assertUnavailable(send(http, base, access, recipient.email()));
        assertUnavailable(http.postForm(base + "/api/v1/connect/token", Map.of("grant_type", "refresh_token",
            "refresh_token", tokens.get("refresh_token").asText()),
            "Authorization", MoneiTestClient.basic(registered.app().clientId(), registered.clientSecret())));
        assertThat(http.get(base + "/readyz").statusCode()).isEqualTo(503);
        assertThat(http.get(base + "/healthz").statusCode()).isEqualTo(200);

        pg.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (http.get(base + "/readyz").statusCode() != 200 && System.nanoTime() < deadline) Thread.sleep(200);
        assertThat(http.get(base + "/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> wallet = null;
        while (System.nanoTime() < deadline) {
          wallet = http.get(base + "/api/v1/wallet/me", "Authorization", "Bearer " + access);
          if (wallet.statusCode() == 200) break;
          Thread.sleep(200);
        }
        assertThat(wallet.statusCode()).as(wallet.body()).isEqualTo(200);
        assertThat(send(http, base, access, recipient.email()).statusCode()).isEqualTo(201);

        JsonNode history = MoneiTestClient.json(http.get(base + "/api/v1/wallet/transactions?limit=100",
            "Authorization", "Bearer " + access));
        List<String> ids = new ArrayList<>();
        history.get("data").forEach(t -> ids.add(t.get("id").asText()));
        assertThat(ids).containsAll(acknowledged);
        long sum = services.db.read("SELECT COALESCE(SUM(amount_minor), 0) AS total FROM postings",
            rs -> rs.next() ? rs.getLong("total") : 0L);
        assertThat(sum).isZero();
      }
    }
  }

  private static HttpResponse<String> send(MoneiTestClient http, String base, String access, String to) {
    return http.postJson(base + "/api/v1/wallet/send", "{\"to\":\"" + to + "\",\"amount\":\"1.00\",\"currency\":\"NGN\"}",
        "Authorization", "Bearer " + access, "Idempotency-Key", UUID.randomUUID().toString());
  }

  private static void assertUnavailable(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    JsonNode body = MoneiTestClient.json(response);
    assertThat(body.get("error").asText()).isEqualTo("temporarily_unavailable");
    assertThat(body.get("message").asText()).doesNotContain("Exception").doesNotContain("at ");
  }
}
