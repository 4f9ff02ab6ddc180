package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.RawHttp;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.LoggerFactory;

/**
 * Every route against a table of malformed requests, as an attacker would send them (SPEC 2:
 * malformed requests get a 4xx, never a 5xx, and log no stack trace): wrong methods, missing and
 * duplicated parameters, huge values, invalid percent-encoding and UTF-8, NUL bytes, wrong content
 * types, JSON of the wrong shape, malformed multipart, and what only a raw socket sends (control
 * bytes in headers, huge headers and URIs). Each answer is a 4xx in the spec's shape: JSON with
 * {@code error} on the APIs, an HTML page elsewhere, and the security headers of 1.2 on both. The
 * server answers /healthz normally after each case.
 */
@WithTestServer
class HostileInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");
  private static final String FORM = "Content-Type: application/x-www-form-urlencoded";
  private static final String HUGE = "a".repeat(20_000);

  /** Where an error of a route is written: JSON with {@code error}, or an HTML page. */
  enum Shape { JSON, PAGE }

  /** The credentials a route needs to get past its first check, so the malformed part is what is judged. */
  enum Credentials { NONE, SESSION, BASIC, BEARER }

  /** One entry of ServerApp's route table; {clientId} is an app the signed-in developer owns. */
  record Route(String method, String path, Shape shape, Credentials credentials) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final List<Route> ROUTES = List.of(
      new Route("GET", "/", Shape.PAGE, Credentials.SESSION),
      new Route("GET", "/login", Shape.PAGE, Credentials.NONE),
      new Route("POST", "/login", Shape.PAGE, Credentials.NONE),
      new Route("POST", "/logout", Shape.PAGE, Credentials.NONE),
      new Route("GET", "/login/verify", Shape.PAGE, Credentials.NONE),
      new Route("POST", "/login/verify", Shape.PAGE, Credentials.NONE),
      new Route("POST", PasskeyRoutes.SIGN_IN_OPTIONS, Shape.JSON, Credentials.NONE),
      new Route("POST", PasskeyRoutes.SIGN_IN, Shape.JSON, Credentials.NONE),
      new Route("GET", "/connect/authorize", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/connect/consent", Shape.PAGE, Credentials.SESSION),
      new Route("GET", "/apps/{clientId}/logo", Shape.PAGE, Credentials.NONE),
      new Route("GET", StaticFileRoute.STYLESHEET, Shape.PAGE, Credentials.NONE),
      new Route("GET", StaticFileRoute.COPY_SCRIPT, Shape.PAGE, Credentials.NONE),
      new Route("GET", PasskeyRoutes.SCRIPT, Shape.PAGE, Credentials.NONE),
      new Route("POST", "/api/v1/connect/token", Shape.JSON, Credentials.BASIC),
      new Route("POST", "/api/v1/connect/revoke", Shape.JSON, Credentials.BASIC),
      new Route("POST", "/api/v1/connect/introspect", Shape.JSON, Credentials.BASIC),
      new Route("GET", "/.well-known/oauth-authorization-server", Shape.JSON, Credentials.NONE),
      new Route("GET", "/account/connections", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/account/connections/disconnect", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/account/connections/limits", Shape.PAGE, Credentials.SESSION),
      new Route("GET", "/confirm/{confirmationId}", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/confirm/{confirmationId}", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/confirm/{confirmationId}/passkey/options", Shape.JSON, Credentials.SESSION),
      new Route("POST", "/confirm/{confirmationId}/passkey", Shape.JSON, Credentials.SESSION),
      new Route("GET", "/account/security", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/account/security/totp", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/account/security/totp/confirm", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/account/security/totp/disable", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/account/security/recovery-codes", Shape.PAGE, Credentials.SESSION),
      new Route("POST", PasskeyRoutes.ADD_OPTIONS, Shape.JSON, Credentials.SESSION),
      new Route("POST", PasskeyRoutes.ADD, Shape.JSON, Credentials.SESSION),
      new Route("POST", "/account/security/passkeys/pk_unknown/rename", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/account/security/passkeys/pk_unknown/delete", Shape.PAGE, Credentials.SESSION),
      new Route("GET", "/developers/apps", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/developers/apps", Shape.PAGE, Credentials.SESSION),
      new Route("GET", "/developers/apps/{clientId}", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/developers/apps/{clientId}/redirect-uris", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/developers/apps/{clientId}/secret", Shape.PAGE, Credentials.SESSION),
      new Route("GET", "/developers/apps/{clientId}/secret", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/developers/apps/{clientId}/revoke-previous-secret", Shape.PAGE, Credentials.SESSION),
      new Route("POST", "/developers/apps/{clientId}/delete", Shape.PAGE, Credentials.SESSION),
      new Route("GET", "/api/v1/wallet/me", Shape.JSON, Credentials.BEARER),
      new Route("GET", "/api/v1/wallet/transactions", Shape.JSON, Credentials.BEARER),
      new Route("POST", "/api/v1/wallet/send", Shape.JSON, Credentials.BEARER),
      new Route("GET", "/api/v1/wallet/limits", Shape.JSON, Credentials.BEARER),
      new Route("GET", "/api/v1/profile/me", Shape.JSON, Credentials.BEARER),
      new Route("GET", "/healthz", Shape.PAGE, Credentials.NONE),
      new Route("GET", "/readyz", Shape.PAGE, Credentials.NONE),
      new Route("GET", "/metrics", Shape.PAGE, Credentials.NONE));

  static TestServer server;
  static RawHttp raw;
  static String cookie;
  static String clientId;
  static String basic;
  static String bearer;
  /** A send confirmation of the signed-in user, still waiting for an answer. */
  static String confirmationId;
  static ListAppender<ILoggingEvent> log;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    raw = new RawHttp(server);
    User developer = server.user();
    server.credit(developer, "NGN", "100.00");
    MoneiTestClient browser = new MoneiTestClient(server).signIn(developer);
    clientId = server.services().registration.register("Hostile Shop", List.of("http://localhost:3000/cb"),
        null, false, developer.id()).app().clientId();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient.Grant grant = browser.grant(app, "wallet:read wallet:send profile:read");
    cookie = "Cookie: " + browser.cookieHeader();
    basic = "Authorization: " + MoneiTestClient.basic(app.clientId(), app.clientSecret());
    bearer = "Authorization: Bearer " + grant.access();
    User recipient = server.user();
    String confirming = browser.grantSend(server.app().create(), "wallet:send", "50.00", "NGN", "1.00")
        .get("access_token").asText();
    confirmationId = MoneiTestClient.json(browser.sendMoney(confirming, "hostile-key",
        "{\"to\":\"" + recipient.email() + "\",\"amount\":\"5.00\",\"currency\":\"NGN\"}"))
        .get("confirmation_id").asText();
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
  }

  @AfterAll
  static void stopListening() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
  }

  @AfterEach
  void noStackTraceLogged() {
    List<ILoggingEvent> logged;
    // The appender adds under its own lock, from the server's threads.
    synchronized (log) {
      logged = List.copyOf(log.list);
    }
    List<ILoggingEvent> traces = logged.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null).toList();
    assertThat(traces).as("errors or stack traces logged")
        .extracting(e -> e.getFormattedMessage() + " " + (e.getThrowableProxy() == null ? ""
            : e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage() + causes(e)))
        .isEmpty();
  }

  private static String causes(ILoggingEvent e) {
    StringBuilder out = new StringBuilder();
    for (var t = e.getThrowableProxy().getCause(); t != null; t = t.getCause())
      out.append(" <- ").append(t.getClassName()).append(": ").append(t.getMessage());
    return out.toString();
  }

  @TestFactory
  Stream<DynamicTest> everyRouteWhenMalformedRequestThenClientErrorInItsShape() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Route route : ROUTES) {
      String path = route.path().replace("{clientId}", clientId).replace("{confirmationId}", confirmationId);
      for (Malformed m : malformed(route, path)) {
        tests.add(DynamicTest.dynamicTest(route + ": " + m.name(), () -> {
          RawHttp.Response response = m.send().get();
          assertClientError(route + ": " + m.name(), response, route.shape(), m.mustBeRefused());
          assertHealthy();
        }));
      }
    }
    return tests.stream();
  }

  /** Requests only a raw socket sends; Jetty refuses most before any route, and its pages must carry our headers. */
  @TestFactory
  Stream<DynamicTest> serverWhenRequestBreaksHttpThenClientErrorWithSecurityHeaders() {
    String host = "Host: localhost:" + server.port();
    List<Malformed> cases = List.of(
        refused("header of 20 KB", () -> raw.request("GET", "/login", (byte[]) null, "X-Big: " + HUGE)),
        refused("URI of 20 KB", () -> raw.request("GET", "/login?x=" + HUGE, (byte[]) null)),
        refused("path of 20 KB", () -> raw.request("GET", "/" + HUGE, (byte[]) null)),
        refused("control byte in a header", () -> raw.send(
            bytes("GET /login HTTP/1.1\r\n" + host + "\r\nX-Bad: a\u0001b\r\nConnection: close"), null)),
        refused("NUL in a header", () -> raw.send(
            bytes("GET /login HTTP/1.1\r\n" + host + "\r\nX-Bad: a\u0000b\r\nConnection: close"), null)),
        refused("NUL in the path", () -> raw.request("GET", "/log\u0000in", (byte[]) null)),
        refused("NUL escaped in the path", () -> raw.request("GET", "/login%00", (byte[]) null)),
        refused("garbage request line", () -> raw.send("GARBAGE\r\n" + host, null)),
        refused("unknown HTTP version", () -> raw.send("GET /login HTTP/7.1\r\n" + host, null)),
        refused("no Host header", () -> raw.send("GET /login HTTP/1.1\r\nConnection: close", null)),
        refused("Content-Length not a number", () -> raw.send("POST /login HTTP/1.1\r\n" + host
            + "\r\nContent-Length: abc\r\nConnection: close", bytes("x"))),
        refused("token endpoint: Content-Length and chunked", () -> raw.send(
            "POST /api/v1/connect/token HTTP/1.1\r\n" + host + "\r\n" + FORM
                + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close",
            bytes("0\r\n\r\n"))),
        refused("token endpoint: broken chunked body", () -> raw.send("POST /api/v1/connect/token HTTP/1.1\r\n" + host
            + "\r\n" + FORM + "\r\nTransfer-Encoding: chunked\r\nConnection: close", bytes("zz\r\nabc\r\n"))),
        refused("invalid UTF-8 in the path", () -> raw.request("GET", "/login%C3%28", (byte[]) null)),
        refused("bad escape in the path", () -> raw.request("GET", "/login%ZZ", (byte[]) null)),
        refused("ambiguous path", () -> raw.request("GET", "/developers/..%2Fapps", (byte[]) null)),
        refused("body of 2 MB", () -> raw.request("POST", "/login", new byte[2_000_000], FORM)),
        refused("unknown method", () -> raw.request("FOO", "/login", (byte[]) null)),
        refused("TRACE", () -> raw.request("TRACE", "/login", (byte[]) null)),
        refused("request line with spaces in the target", () -> raw.request("GET", "/login x y", (byte[]) null)),
        refused("CONNECT to another host", () -> raw.request("CONNECT", "localhost:443", (byte[]) null)),
        refused("CONNECT", () -> raw.request("CONNECT", "localhost:" + server.port(), (byte[]) null)),
        refused("OPTIONS *", () -> raw.request("OPTIONS", "*", (byte[]) null)),
        refused("header name with a space", () -> raw.request("GET", "/login", (byte[]) null, "Bad Header: x")),
        refused("folded header line", () -> raw.request("GET", "/login", (byte[]) null, "X-A: a\r\n  folded")),
        refused("500 headers", () -> raw.request("GET", "/login", (byte[]) null,
            Stream.iterate(0, i -> i + 1).limit(500).map(i -> "X-H" + i + ": " + "v".repeat(40))
                .toArray(String[]::new))),
        refused("token endpoint: Expect: 100-continue, body too large", () -> raw.request("POST",
            "/api/v1/connect/token", new byte[1_200_000], FORM, "Expect: 100-continue")));
    return cases.stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
      RawHttp.Response response = m.send().get();
      // Where Jetty could read the path, an API's answer is JSON there too.
      Shape shape = m.name().startsWith("token endpoint") ? Shape.JSON : Shape.PAGE;
      assertClientError(m.name(), response, shape, true);
      assertHealthy();
    }));
  }

  /** A malformed request for a route; {@code mustBeRefused}: it may not pass as a valid request either. */
  record Malformed(String name, Supplier<RawHttp.Response> send, boolean mustBeRefused) {}

  private static Malformed refused(String name, Supplier<RawHttp.Response> send) {
    return new Malformed(name, send, true);
  }

  /** Harmless on a route that reads nothing of it (extra query junk on /healthz), but never a 5xx. */
  private static Malformed tolerated(String name, Supplier<RawHttp.Response> send) {
    return new Malformed(name, send, false);
  }

  private static List<Malformed> malformed(Route route, String path) {
    List<Malformed> cases = new ArrayList<>();
    String[] auth = credentials(route.credentials());
    Set<String> registered = ROUTES.stream().filter(r -> r.path().equals(route.path())).map(Route::method)
        .collect(Collectors.toSet());
    for (String method : METHODS) {
      if (registered.contains(method) || !method.equals(firstOther(registered))) continue;
      cases.add(refused("wrong method " + method, () -> raw.request(method, path, "", with(auth, FORM))));
    }
    boolean post = route.method().equals("POST");
    // Query strings: read by some GET routes, ignored by others.
    for (String[] query : new String[][] {
        {"bad escape in the query", "?scope=%ZZ&client_id=%"},
        {"invalid UTF-8 in the query", "?client_id=%C3%28&state=%FF%FE"},
        {"NUL in the query", "?client_id=a%00b&limit=%00"},
        {"duplicated parameters", "?client_id=a&client_id=b&limit=1&limit=2&cursor=x&cursor=y"},
        {"numbers where strings belong", "?limit=99999999999999999999&cursor=12&client_id=1"},
        {"huge value", "?state=" + "s".repeat(6_000) + "&limit=" + "9".repeat(2_000)}}) {
      boolean reads = !post && Set.of("/connect/authorize", "/api/v1/wallet/transactions").contains(route.path());
      Supplier<RawHttp.Response> send = () -> raw.request(route.method(), path + query[1], post ? "" : null,
          with(auth, FORM));
      cases.add(reads ? refused(query[0], send) : tolerated(query[0], send));
    }
    if (!post) return cases;
    // Bodies: every POST route needs fields (or a CSRF token) that none of these carry intact, except that
    // signing out needs nothing, and revocation and introspection answer 200 for any token (RFC 7009 §2.2,
    // RFC 7662 §2.2), however long.
    boolean refusesAll = !route.path().equals("/logout");
    Set<String> anyToken = Set.of("/api/v1/connect/revoke", "/api/v1/connect/introspect");
    String form = route.shape() == Shape.JSON ? "grant_type=authorization_code&token=x&code=" : "csrf_token=";
    List<Object[]> bodies = List.of(
        new Object[] {"no body", null, FORM},
        new Object[] {"empty form", "", FORM},
        new Object[] {"bad escape in the form", form + "%ZZ&x=%", FORM},
        new Object[] {"invalid UTF-8 in the form", form + "%C3%28%FF", FORM},
        new Object[] {"raw invalid UTF-8 bytes in the form", new byte[] {'c', 's', '=', (byte) 0xC3, 0x28, (byte) 0xFF},
            FORM},
        new Object[] {"NUL in the form", form + "a%00b&email=%00&password=%00", FORM},
        new Object[] {"duplicated parameters", form + "a&" + form + "b&grant_type=refresh_token", FORM},
        new Object[] {"huge values", form + "x".repeat(200_000) + "&email=" + "e".repeat(100_000), FORM},
        new Object[] {"body of 1.5 MB", new byte[1_500_000], FORM},
        new Object[] {"text/plain", "grant_type=authorization_code", "Content-Type: text/plain"},
        new Object[] {"XML", "<grant_type>x</grant_type>", "Content-Type: application/xml"},
        new Object[] {"no content type", "grant_type=x", null},
        new Object[] {"content type with a bad charset", "a=b", FORM + "; charset=no-such-charset"},
        new Object[] {"JSON that does not parse", "{\"grant_type\": ", "Content-Type: application/json"},
        new Object[] {"JSON array", "[1, 2, 3]", "Content-Type: application/json"},
        new Object[] {"JSON with numbers where strings belong",
            "{\"grant_type\": 5, \"code\": 7, \"token\": 1, \"to\": 3, \"amount\": 1e309, \"currency\": 4,"
                + " \"note\": [1]}", "Content-Type: application/json"},
        new Object[] {"JSON with a NUL", "{\"to\": \"a\\u0000b\", \"amount\": \"1.00\\u0000\", \"currency\": \"NGN\"}",
            "Content-Type: application/json"},
        new Object[] {"JSON with a repeated key", "{\"amount\": \"1.00\", \"amount\": \"2.00\"}",
            "Content-Type: application/json"},
        new Object[] {"JSON nested deeply", "[".repeat(5_000) + "]".repeat(5_000), "Content-Type: application/json"},
        new Object[] {"JSON invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'},
            "Content-Type: application/json"},
        new Object[] {"multipart without boundary", "--x\r\n\r\n", "Content-Type: multipart/form-data"},
        new Object[] {"multipart with another boundary",
            "--other\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nx\r\n--other--\r\n",
            "Content-Type: multipart/form-data; boundary=mine"},
        new Object[] {"multipart truncated",
            "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nShop",
            "Content-Type: multipart/form-data; boundary=b"},
        new Object[] {"multipart part without headers", "--b\r\n\r\n\r\nvalue\r\n--b--\r\n",
            "Content-Type: multipart/form-data; boundary=b"},
        new Object[] {"multipart with a file of 1.5 MB", multipartFile(1_500_000),
            "Content-Type: multipart/form-data; boundary=b"},
        new Object[] {"multipart with 5000 parts", multipartParts(5_000),
            "Content-Type: multipart/form-data; boundary=b"},
        new Object[] {"multipart with a huge part header", "--b\r\nContent-Disposition: form-data; name=\"" + HUGE
            + "\"\r\n\r\nx\r\n--b--\r\n", "Content-Type: multipart/form-data; boundary=b"});
    for (Object[] body : bodies) {
      byte[] data = body[1] == null ? null : body[1] instanceof byte[] b ? b : bytes((String) body[1]);
      String[] headers = body[2] == null ? auth : with(auth, (String) body[2]);
      Supplier<RawHttp.Response> send = () -> raw.request("POST", path, data, extra(route, headers));
      boolean refuses = refusesAll && !(anyToken.contains(route.path()) && body[0].equals("huge values"));
      cases.add(refuses ? refused((String) body[0], send) : tolerated((String) body[0], send));
    }
    return cases;
  }

  /** The send endpoint needs an Idempotency-Key before it reads the body. */
  private static String[] extra(Route route, String[] headers) {
    return route.path().equals("/api/v1/wallet/send") ? with(headers, "Idempotency-Key: hostile-" + System.nanoTime())
        : headers;
  }

  private static String firstOther(Set<String> registered) {
    return Stream.of("PUT", "DELETE", "PATCH", "POST", "GET").filter(m -> !registered.contains(m)).findFirst()
        .orElseThrow();
  }

  private static String[] credentials(Credentials credentials) {
    return switch (credentials) {
      case NONE -> new String[0];
      case SESSION -> new String[] {cookie};
      case BASIC -> new String[] {basic};
      case BEARER -> new String[] {bearer};
    };
  }

  private static String[] with(String[] headers, String header) {
    String[] out = Arrays.copyOf(headers, headers.length + 1);
    out[headers.length] = header;
    return out;
  }

  private static byte[] multipartFile(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes("--b\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"l.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n"));
    out.writeBytes(new byte[size]);
    out.writeBytes(bytes("\r\n--b--\r\n"));
    return out.toByteArray();
  }

  private static byte[] multipartParts(int parts) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < parts; i++) body.append("--b\r\nContent-Disposition: form-data; name=\"f").append(i)
        .append("\"\r\n\r\nv\r\n");
    return bytes(body.append("--b--\r\n").toString());
  }

  private static void assertClientError(String what, RawHttp.Response raw, Shape shape, boolean mustBeRefused) {
    Described response = new Described(what, raw);
    assertThat(response.status()).as("answered at all: %s", response).isNotZero();
    assertThat(response.status()).as("no 5xx: %s", response).isLessThan(500);
    if (mustBeRefused) assertThat(response.status()).as("a 4xx: %s", response).isBetween(400, 499);
    assertThat(response.header("X-Frame-Options")).as("X-Frame-Options on %s", response).hasValue("DENY");
    assertThat(response.header("Content-Security-Policy")).as("CSP on %s", response)
        .hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
    assertThat(response.header("Referrer-Policy")).as("Referrer-Policy on %s", response).hasValue("no-referrer");
    assertThat(response.header("X-Content-Type-Options")).as("nosniff on %s", response).hasValue("nosniff");
    if (response.status() < 400) return;
    String type = response.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (shape == Shape.JSON) {
      assertThat(type).as("JSON error: %s", response).startsWith("application/json");
      JsonNode body = json(response.response());
      assertThat(body.path("error").asText()).as("error field: %s", response).isNotBlank();
    } else {
      assertThat(type).as("HTML page: %s", response).startsWith("text/html");
      assertThat(response.text()).as("an error page: %s", response).contains("<html");
    }
    assertThat(response.text()).as("no stack trace in %s", response).doesNotContain("Exception", "\tat ");
  }

  /** The answer with the case's name, for assertion messages. */
  private record Described(String what, RawHttp.Response response) {
    int status() {
      return response.status();
    }

    Optional<String> header(String name) {
      return response.header(name);
    }

    String text() {
      return response.text();
    }

    byte[] body() {
      return response.body();
    }

    @Override
    public String toString() {
      return what + " -> " + response;
    }
  }

  private static void assertHealthy() {
    RawHttp.Response health = raw.request("GET", "/healthz", (byte[]) null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(json(health).path("status").asText()).isEqualTo("ok");
  }

  private static JsonNode json(RawHttp.Response response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + response, e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
