package com.monei.connect.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.support.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request log of a real `serve` process (SPEC: one line per request with status and time, never
 * a token, code, secret or password). Its lines go through a buffer flushed every 100 ms, so they
 * must appear while the server keeps running.
 */
class RequestLogTest {
  private static final String CODE = "code-Zq81mWc7RtLp0a";
  private static final String CLIENT_SECRET = "secret-Hx4kPq92LmVt";
  private static final String ACCESS_TOKEN = "token-Ub3nXe6QwFs5Jd";
  private static final String PASSWORD = "password-Kf7sNv2YpRc8";
  private static final String STATE = "state-Wm5tGa1LqZe9Xo";

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  void oneLinePerRequestWithStatusAndTimeAndNoSecrets() throws Exception {
    try (ServerProcess server = ServerProcess.start("jdbc:sqlite:" + dir.resolve("log.db"), null, Map.of())) {
      String base = server.url();
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build())).isEqualTo(200);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/wallet/me"))
          .header("Authorization", "Bearer " + ACCESS_TOKEN).build())).isEqualTo(401);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/connect/token"))
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("app:" + CLIENT_SECRET).getBytes()))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + CODE
              + "&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb")).build())).isEqualTo(401);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/connect/authorize?response_type=code&client_id=app"
          + "&state=" + STATE + "&code=" + CODE)).build())).isEqualTo(400);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/login"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("email=a%40monei.test&password=" + PASSWORD + "&csrf_token=x"))
          .build())).isEqualTo(403);

      List<String> expected = List.of("GET /healthz 200 ", "GET /api/v1/wallet/me 401 ",
          "POST /api/v1/connect/token 401 ", "GET /connect/authorize 400 ", "POST /login 403 ");
      String log = awaitLog(server, expected);
      for (String line : expected) assertThat(log).containsPattern(java.util.regex.Pattern.quote(line) + "[0-9.]*ms");
      assertThat(log).doesNotContain(CODE, CLIENT_SECRET, ACCESS_TOKEN, PASSWORD, STATE, "response_type");
    }
  }

  @Test
  void requestLineWhenAnsweredThenEndsWithTheResponsesRequestId() throws Exception {
    try (ServerProcess server = ServerProcess.start("jdbc:sqlite:" + dir.resolve("id.db"), null, Map.of())) {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/wallet/me"))
          .header("Request-Id", "req_chosenbytheclient").build(), HttpResponse.BodyHandlers.discarding());
      String id = response.headers().firstValue("Request-Id").orElseThrow();

      String log = awaitLog(server, List.of(id));
      assertThat(log).containsPattern("GET /api/v1/wallet/me 401 [0-9.]*ms " + id + "\\R")
          .doesNotContain("req_chosenbytheclient");
    }
  }

  @Test
  void requestLineWhenFromATrustedProxyThenStartsWithTheForwardedClientIp() throws Exception {
    try (ServerProcess server = ServerProcess.start("jdbc:sqlite:" + dir.resolve("proxy.db"), null,
        Map.of("MONEI_TRUSTED_PROXIES", "127.0.0.1, ::1"))) {
      assertThat(send(HttpRequest.newBuilder(URI.create(server.url() + "/healthz"))
          .header("X-Forwarded-For", "198.51.100.1, 203.0.113.77").build())).isEqualTo(200);

      String line = "203.0.113.77 GET /healthz 200 ";
      assertThat(awaitLog(server, List.of(line))).contains(line).doesNotContain("198.51.100.1");
    }
  }

  private int send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The server's output once it holds every expected line (the buffer is flushed every 100 ms). */
  private static String awaitLog(ServerProcess server, List<String> expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    String log = server.output();
    while (System.nanoTime() < deadline && !expected.stream().allMatch(log::contains)) {
      Thread.sleep(50);
      log = server.output();
    }
    return log;
  }
}
