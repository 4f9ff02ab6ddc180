package com.monei.connect.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Your App's side of a send the user confirms, against a stand-in for Monei that speaks SPEC 1.4 and
 * 1.6 (the real server's loop is ExampleAppConfirmationTest in the server module): the send is held
 * with its key, "finish the send" retries it, and the user's answer decides.
 */
class SendConfirmationLoopTest {
  private FakeMonei monei;
  private ExampleApp app;
  private String appUrl;
  private HttpClient browser;

  @BeforeEach
  void start() {
    monei = new FakeMonei();
    app = ExampleApp.create(ExampleConfig.of(0, monei.url(), "mc_app", "mcs_secret",
        "http://localhost:1/monei/callback")).start();
    appUrl = "http://localhost:" + app.port();
    browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    connect();
  }

  @AfterEach
  void stop() {
    app.close();
    monei.close();
  }

  @Test
  void dashboardWhenGrantHasASendLimitThenOffersOnlyItsCurrencyAndShowsLimitAndThreshold() {
    String dashboard = get("/dashboard").body();
    String text = dashboard.replaceAll("\\s+", " ");

    assertEquals(List.of("NGN"), all(dashboard, "<option value=\"([A-Z]{3})\""));
    assertTrue(text.contains("send up to NGN 1000.00 per 24 hours (NGN 1000.00 left now)."), text);
    assertTrue(text.contains("Payments of more than NGN 50.00 need your confirmation in Monei."), text);
  }

  @Test
  void sendWhenCurrencyIsNotTheLimitsThenRefusedWithoutAskingMonei() {
    Map<String, String> form = sendForm(get("/dashboard").body(), "10.00");
    form.put("currency", "USD");

    post("/send", form);

    assertTrue(notice(get("/dashboard").body()).contains("can send only NGN"));
    assertEquals(0, monei.sendRequests());
  }

  @Test
  void sendWhenMoneiAsksForConfirmationThenHeldUntilConfirmedAndFinishedOnceWithTheSameKey() {
    Map<String, String> form = sendForm(get("/dashboard").body(), "120.00");

    assertEquals(303, post("/send", form).statusCode());
    String waiting = get("/dashboard").body();
    assertEquals(monei.url() + "/confirm/cfm_1",
        first(waiting, "id=\"confirm-in-monei\"[^>]*href=\"([^\"]+)\""));
    assertTrue(waiting.contains("Confirm this payment in Monei"));
    assertTrue(waiting.contains("<strong>NGN 120.00</strong>"), waiting);

    post("/send/finish", Map.of("csrf_token", csrf(waiting)));
    String notYet = get("/dashboard").body();
    assertTrue(notice(notYet).contains("has not had your confirmation"), notYet);
    assertTrue(notYet.contains("id=\"confirm-in-monei\""), "the link stays");
    assertEquals(0, monei.executed);

    monei.decide("cfm_1", "confirmed");
    post("/send/finish", Map.of("csrf_token", csrf(notYet)));
    String done = get("/dashboard").body();

    assertTrue(notice(done).contains("Sent NGN 120.00 to friend@example.com."), done);
    assertFalse(done.contains("id=\"pending-send\""), "nothing is held any more");
    assertEquals(1, monei.executed);
    assertEquals(List.of(form.get("idempotency_key")), monei.keysSent().stream().distinct().toList());
    assertEquals(1, monei.bodiesSent().stream().distinct().count(), "the same body each time");

    post("/send/finish", Map.of("csrf_token", csrf(done)));
    assertTrue(notice(get("/dashboard").body()).contains("No payment is waiting"));
    assertEquals(1, monei.executed);
  }

  @Test
  void finishWhenTheUserRejectedThenSaysSoAndDropsTheHeldSend() {
    String dashboard = get("/dashboard").body();
    post("/send", sendForm(dashboard, "120.00"));
    monei.decide("cfm_1", "rejected");

    post("/send/finish", Map.of("csrf_token", csrf(dashboard)));
    String after = get("/dashboard").body();

    assertTrue(notice(after).contains("You rejected the payment of NGN 120.00"), after);
    assertFalse(after.contains("id=\"pending-send\""));
    assertEquals(0, monei.executed);
  }

  @Test
  void finishWhenCsrfTokenIsWrongThenNothingIsSent() {
    String dashboard = get("/dashboard").body();
    post("/send", sendForm(dashboard, "120.00"));
    monei.decide("cfm_1", "confirmed");

    assertEquals(403, post("/send/finish", Map.of("csrf_token", "forged")).statusCode());
    assertEquals(0, monei.executed);
  }

  @Test
  void sendWhenNoteHoldsMarkupThenTheHeldSendShowsItEscaped() {
    Map<String, String> form = sendForm(get("/dashboard").body(), "120.00");
    form.put("note", "<script>x</script>");
    post("/send", form);

    String waiting = get("/dashboard").body();

    assertFalse(waiting.contains("<script>x"));
    assertTrue(waiting.contains("&lt;script&gt;x&lt;/script&gt;"));
  }

  @Test
  void disconnectWhenASendIsHeldThenItIsForgottenAndNeverRetriedUnderANewGrant() {
    String dashboard = get("/dashboard").body();
    post("/send", sendForm(dashboard, "120.00"));

    assertEquals(303, post("/disconnect", Map.of("csrf_token", csrf(dashboard))).statusCode());
    connect();

    assertFalse(get("/dashboard").body().contains("id=\"pending-send\""));
  }

  // ---- Your App in a browser ----

  private void connect() {
    HttpResponse<String> start = get("/connect-monei?scope=wallet:send");
    String state = first(start.headers().firstValue("Location").orElseThrow(), "[?&]state=([^&]+)");
    assertEquals(303, get(ExampleConfig.CALLBACK_PATH + "?code=c&state=" + state).statusCode());
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(appUrl + path)).GET());
  }

  private HttpResponse<String> post(String path, Map<String, String> form) {
    String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(appUrl + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> sendForm(String dashboard, String amount) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", csrf(dashboard));
    form.put("idempotency_key", first(dashboard, "name=\"idempotency_key\" value=\"([^\"]+)\""));
    form.put("to", "friend@example.com");
    form.put("amount", amount);
    form.put("currency", "NGN");
    form.put("note", "Lunch");
    return form;
  }

  private static String csrf(String page) {
    return first(page, "name=\"csrf_token\" value=\"([^\"]+)\"");
  }

  private static String notice(String page) {
    return first(page, "<p class=\"notice [a-z]+\" role=\"status\">([^<]*)</p>");
  }

  private static String first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), () -> regex + " in " + text);
    return m.group(1);
  }

  private static List<String> all(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> found = new ArrayList<>();
    while (m.find()) found.add(m.group(1));
    return found;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Monei as far as this loop needs it: the token endpoint (with the send limit as authorization
   * details), the limits call, and sends of more than 50.00 that wait for the user's decision.
   */
  private static final class FakeMonei implements AutoCloseable {
    private final HttpServer server;
    private final List<String[]> sends = new CopyOnWriteArrayList<>();
    private final Map<String, String> decisions = new HashMap<>();
    private final Map<String, String> confirmationOfKey = new HashMap<>();
    private final Map<String, String> resultOfKey = new HashMap<>();
    volatile int executed;

    FakeMonei() {
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.createContext("/", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void decide(String confirmationId, String decision) {
      decisions.put(confirmationId, decision);
    }

    int sendRequests() {
      return sends.size();
    }

    List<String> keysSent() {
      return sends.stream().map(s -> s[0]).toList();
    }

    List<String> bodiesSent() {
      return sends.stream().map(s -> s[1]).toList();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      int status = 200;
      String answer;
      switch (path) {
        case "/api/v1/connect/token" -> answer = "{\"access_token\":\"mct_1\",\"refresh_token\":\"mcr_1\","
            + "\"token_type\":\"Bearer\",\"expires_in\":3600,\"scopes\":[\"wallet:send\"],\"authorization_details\":"
            + "[{\"type\":\"monei_send\",\"limit\":{\"amount\":\"1000.00\",\"currency\":\"NGN\",\"window_hours\":24},"
            + "\"confirm_above\":\"50.00\"}]}";
        case "/api/v1/connect/revoke" -> answer = "{}";
        case "/api/v1/wallet/limits" -> answer = "{\"currency\":\"NGN\",\"limit\":\"1000.00\",\"used\":\"0.00\","
            + "\"remaining\":\"1000.00\",\"window_hours\":24,\"confirm_above\":\"50.00\"}";
        case "/api/v1/wallet/send" -> {
          String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
          sends.add(new String[] {key, body});
          BigDecimal amount = new BigDecimal(body.replaceAll(".*\"amount\":\"([0-9.]+)\".*", "$1"));
          String confirmation = confirmationOfKey.computeIfAbsent(key, k -> "cfm_" + (confirmationOfKey.size() + 1));
          String decision = decisions.get(confirmation);
          if (resultOfKey.containsKey(key) || amount.compareTo(new BigDecimal("50.00")) <= 0
              || "confirmed".equals(decision)) {
            status = 201;
            answer = resultOfKey.computeIfAbsent(key, k -> {
              executed++;
              return "{\"id\":\"txn_" + executed + "\",\"type\":\"send\",\"amount\":\"" + amount.toPlainString()
                  + "\",\"currency\":\"NGN\",\"status\":\"completed\",\"created_at\":\"2030-01-01T00:00:00Z\"}";
            });
          } else if ("rejected".equals(decision)) {
            status = 403;
            answer = "{\"error\":\"confirmation_rejected\",\"error_description\":\"The user rejected it.\"}";
          } else {
            status = 403;
            answer = "{\"error\":\"confirmation_required\",\"error_description\":\"Confirm it in Monei.\","
                + "\"confirmation_id\":\"" + confirmation + "\",\"confirmation_url\":\"" + url() + "/confirm/"
                + confirmation + "\",\"expires_in\":600}";
          }
        }
        default -> {
          status = 404;
          answer = "{\"error\":\"not_found\"}";
        }
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
