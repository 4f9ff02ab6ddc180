package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /metrics in Prometheus' text format: request timers, and the Argon2id count the benchmark reads. */
@WithTestServer
class MetricsTest {
  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @Test
  void metricsWhenRequestsServedThenTimedByRouteAndStatus() {
    new MoneiTestClient().get(server.url() + "/healthz");

    HttpResponse<String> metrics = new MoneiTestClient().get(server.url() + "/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body()).containsPattern(
        "http_server_requests_seconds_count\\{[^}]*route=\"/healthz\"[^}]*status=\"200\"[^}]*} [1-9]");
  }

  @Test
  void metricsWhenUserSignsInThenHashCountAndItsCpuTimeGrow() {
    String before = new MoneiTestClient().get(server.url() + "/metrics").body();

    new MoneiTestClient(server).signIn(server.user());
    new MoneiTestClient(server).signIn(server.user());

    String after = new MoneiTestClient().get(server.url() + "/metrics").body();
    assertThat(value(after, "monei_password_hashes_total") - value(before, "monei_password_hashes_total"))
        .isGreaterThanOrEqualTo(2);
    // Two Argon2id verifications (19 MiB, 2 passes) take well over a millisecond of CPU each.
    assertThat(value(after, "monei_password_hash_cpu_seconds_total")
        - value(before, "monei_password_hash_cpu_seconds_total")).isGreaterThan(0.002);
  }

  private static double value(String exposition, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(exposition);
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
