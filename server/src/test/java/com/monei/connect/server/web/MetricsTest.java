package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.support.MoneiServerExtension;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GET /metrics in Prometheus' text format: request timers, and the Argon2id count the benchmark
 * reads; only with the operator's MONEI_METRICS_TOKEN (SPEC 3), and not there at all without one.
 */
class MetricsTest {
  private static final String TOKEN = "metrics-token-Vb7qLx2NwTe9";

  @RegisterExtension
  static final MoneiServerExtension MONEI = MoneiServerExtension.with(c -> c.withMetricsToken(TOKEN));

  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @Test
  void metricsWhenRequestsServedThenTimedByRouteAndStatus() {
    new MoneiTestClient().get(server.url() + "/healthz");

    HttpResponse<String> metrics = scrape();

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body()).containsPattern(
        "http_server_requests_seconds_count\\{[^}]*route=\"/healthz\"[^}]*status=\"200\"[^}]*} [1-9]");
  }

  @Test
  void metricsWhenUserSignsInThenHashCountAndItsCpuTimeGrow() {
    String before = scrape().body();

    new MoneiTestClient(server).signIn(server.user());
    new MoneiTestClient(server).signIn(server.user());

    String after = scrape().body();
    assertThat(value(after, "monei_password_hashes_total") - value(before, "monei_password_hashes_total"))
        .isGreaterThanOrEqualTo(2);
    // Two Argon2id verifications (19 MiB, 2 passes) take well over a millisecond of CPU each.
    assertThat(value(after, "monei_password_hash_cpu_seconds_total")
        - value(before, "monei_password_hash_cpu_seconds_total")).isGreaterThan(0.002);
  }

  @Test
  void metricsWhenNoAuthorizationThen401WithBearerChallengeAndJsonError() {
    HttpResponse<String> response = new MoneiTestClient().get(server.url() + "/metrics");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(MoneiTestClient.error(response)).isEqualTo("unauthorized");
    assertThat(response.body()).doesNotContain("http_server_requests", "monei_password");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer wrong-token", "Bearer " + TOKEN + "x", "Bearer metrics-token-Vb7qLx2NwTe",
      "Basic " + TOKEN, "Bearer ", TOKEN})
  void metricsWhenWrongTokenThen401AndNoMetrics(String authorization) {
    HttpResponse<String> response = new MoneiTestClient().get(server.url() + "/metrics",
        "Authorization", authorization);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertThat(MoneiTestClient.error(response)).isIn("unauthorized", "invalid_token");
    assertThat(response.body()).doesNotContain("http_server_requests", "monei_password", TOKEN);
  }

  @Test
  void metricsWhenNoTokenConfiguredThenSame404AsAnUnknownPath() {
    try (TestServer plain = TestServer.start()) {
      MoneiTestClient client = new MoneiTestClient(plain);
      HttpResponse<String> unknown = client.get("/no-such-page");

      for (String authorization : new String[] {"Bearer " + TOKEN, "Bearer ", "Bearer x"}) {
        HttpResponse<String> metrics = client.get("/metrics", "Authorization", authorization);
        assertThat(metrics.statusCode()).isEqualTo(404);
        assertThat(metrics.body()).isEqualTo(unknown.body());
      }
      assertThat(client.get("/metrics").statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<String> scrape() {
    return new MoneiTestClient().get(server.url() + "/metrics", "Authorization", "Bearer " + TOKEN);
  }

  private static double value(String exposition, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(exposition);
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
