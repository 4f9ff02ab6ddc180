package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.Hashes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sign-in and sign-out over real HTTP: CSRF, generic failures, the session cookie and its renewal,
 * same-origin return_to, and the security headers of the pages (throttling: {@link LoginThrottleTest}).
 */
@WithTestServer
class LoginTest {
  private static final String COOKIE = "monei_session";

  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  // ---- the app that asked ----

  @Test
  void loginPageWhenReturnToIsAnAuthorizationRequestThenNamesTheAppEscaped() {
    TestServer.TestApp app = server.app().name("<b>Kobo</b> & Co").create();
    MoneiTestClient browser = new MoneiTestClient(server);

    HttpResponse<String> page = browser.get("/login?return_to=" + enc(browser.authorizeUrl(app, "profile:read", "s")
        .substring(server.url().length())));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(page.body()).select(".continue").text()).isEqualTo("to continue to <b>Kobo</b> & Co");
    assertThat(page.body()).contains("&lt;b&gt;Kobo&lt;/b&gt; &amp; Co").doesNotContain("<b>Kobo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/connect/authorize?client_id=mc_nosuchapp&response_type=code",
      "/connect/authorize?client_id=%zz", "/connect/authorize?client_id=", "/connect/authorize?scope=profile:read",
      "/account/connections?client_id=CLIENT", "https://evil.example/connect/authorize?client_id=CLIENT"})
  void loginPageWhenReturnToIsNoKnownAppsAuthorizationRequestThenNamesNoApp(String returnTo) {
    TestServer.TestApp app = server.app().name("Hidden App").create();

    HttpResponse<String> page = new MoneiTestClient(server)
        .get("/login?return_to=" + enc(returnTo.replace("CLIENT", app.clientId())));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(page.body()).select(".continue")).isEmpty();
    assertThat(page.body()).doesNotContain("Hidden App");
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // ---- CSRF ----

  @Test
  void loginPageWhenShownThenFormCarriesCsrfToken() {
    HttpResponse<String> page = new MoneiTestClient().get(server.url() + "/login");

    assertThat(page.statusCode()).isEqualTo(200);
    Element form = Jsoup.parse(page.body()).selectFirst("form[action=/login]");
    assertThat(form.attr("method")).isEqualToIgnoringCase("post");
    assertThat(form.selectFirst("input[type=hidden][name=csrf_token]").val()).isNotBlank();
    assertThat(form.select("input[name=email], input[name=password]")).hasSize(2);
  }

  static Stream<Arguments> badCsrfTokens() {
    return Stream.of(
        Arguments.of(Named.of("missing", (String) null)),
        Arguments.of(Named.of("empty", "")),
        Arguments.of(Named.of("wrong", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
        Arguments.of(Named.of("another browser's token", "OTHER")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCsrfTokens")
  void loginWhenCsrfTokenBadThenForbiddenAndNotSignedIn(String csrf) {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient();
    csrfOf(browser, "/");
    if ("OTHER".equals(csrf)) csrf = csrfOf(new MoneiTestClient(), "/");

    HttpResponse<String> response = postLogin(browser, user.email(), TestServer.PASSWORD, csrf, "/");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Location")).isEmpty();
    assertNotSignedIn(browser);
  }

  @Test
  void loginWhenNoSessionCookieAtAllThenForbidden() {
    User user = server.user();
    String csrf = csrfOf(new MoneiTestClient(), "/");
    MoneiTestClient cookieless = new MoneiTestClient();

    HttpResponse<String> response = postLogin(cookieless, user.email(), TestServer.PASSWORD, csrf, "/");

    assertThat(response.statusCode()).isEqualTo(403);
    assertNotSignedIn(cookieless);
  }

  // ---- failures ----

  @Test
  void loginWhenWrongPasswordOrUnknownEmailThenSameStatusAndSameMessage() {
    User user = server.user();
    MoneiTestClient first = new MoneiTestClient();
    MoneiTestClient second = new MoneiTestClient();

    HttpResponse<String> wrongPassword = postLogin(first, user.email(), "not-the-password", csrfOf(first, "/"), "/");
    HttpResponse<String> unknownEmail = postLogin(second, "nobody-" + System.nanoTime() + "@monei.test",
        TestServer.PASSWORD, csrfOf(second, "/"), "/");

    assertThat(wrongPassword.statusCode()).isEqualTo(401);
    assertThat(unknownEmail.statusCode()).isEqualTo(wrongPassword.statusCode());
    String wrongPasswordMessage = errorMessage(wrongPassword);
    assertThat(wrongPasswordMessage).isNotBlank().doesNotContainIgnoringCase("password is wrong")
        .doesNotContainIgnoringCase("no account");
    assertThat(errorMessage(unknownEmail)).isEqualTo(wrongPasswordMessage);
    assertThat(Jsoup.parse(wrongPassword.body()).selectFirst("form[action=/login]")).isNotNull();
    assertNotSignedIn(first);
    assertNotSignedIn(second);
  }

  @Test
  void loginWhenFailedThenFormShownAgainAndRetryWithRightPasswordWorks() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient();
    HttpResponse<String> failed = postLogin(browser, user.email(), "wrong-password", csrfOf(browser, "/"), "/");
    String csrf = Jsoup.parse(failed.body()).selectFirst("input[name=csrf_token]").val();

    HttpResponse<String> retried = postLogin(browser, user.email(), TestServer.PASSWORD, csrf, "/");

    assertThat(retried.statusCode()).isEqualTo(303);
    assertSignedIn(browser);
  }

  @Test
  void loginWhenFailedWithMarkupInEmailThenReflectedEscaped() {
    MoneiTestClient browser = new MoneiTestClient();
    String email = "\"><script>alert(1)</script>@x.example";

    HttpResponse<String> response = postLogin(browser, email, "whatever-pw", csrfOf(browser, "/"), "/");

    Document page = Jsoup.parse(response.body());
    // The page's only script is Monei's own file (the passkey button); nothing came from the input.
    assertThat(page.select("script")).singleElement().satisfies(script -> {
      assertThat(script.attr("src")).isEqualTo(PasskeyRoutes.SCRIPT);
      assertThat(script.data()).isEmpty();
    });
    assertThat(page.selectFirst("input[name=email]").val()).isEqualTo(email);
  }

  @Test
  void loginWhenEmailDiffersInCaseAndSpacesThenSignsIn() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient();

    HttpResponse<String> response = postLogin(browser, "  " + user.email().toUpperCase() + " ",
        TestServer.PASSWORD, csrfOf(browser, "/"), "/");

    assertThat(response.statusCode()).isEqualTo(303);
    assertSignedIn(browser);
  }

  // ---- success and the session cookie ----

  @Test
  void loginWhenSuccessfulThenSeeOtherWithRenewedHttpOnlyLaxCookie() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient();
    HttpResponse<String> page = browser.get(server.url() + "/login");
    String before = sessionCookie(page).map(LoginTest::cookieValue).orElseThrow(() ->
        new AssertionError("GET /login set no " + COOKIE + " cookie"));
    String csrf = Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();

    HttpResponse<String> response = postLogin(browser, user.email(), TestServer.PASSWORD, csrf, "/");

    assertThat(response.statusCode()).isEqualTo(303);
    String setCookie = sessionCookie(response).orElseThrow(() -> new AssertionError("no session cookie set"));
    List<String> attributes = attributes(setCookie);
    assertThat(attributes).contains("httponly", "samesite=lax").doesNotContain("secure");
    String after = cookieValue(setCookie);
    assertThat(after).isNotBlank().isNotEqualTo(before);
    assertThat(withCookie(after).statusCode()).as("new session signed in").isEqualTo(200);
    assertThat(withCookie(before).statusCode()).as("pre-login session id not signed in").isEqualTo(302);
  }

  @Test
  void loginPageWhenShownToNewBrowserThenNothingIsStoredUntilSignIn() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient();
    HttpResponse<String> page = browser.get(server.url() + "/login");
    String before = sessionCookie(page).map(LoginTest::cookieValue).orElseThrow();
    String csrf = Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();
    assertThat(storedSessions(before)).as("a session row for a page view").isZero();
    // The same browser keeps its pre-login session: no new cookie on the next view.
    assertThat(sessionCookie(browser.get(server.url() + "/login"))).isEmpty();

    HttpResponse<String> response = postLogin(browser, user.email(), TestServer.PASSWORD, csrf, "/");

    assertThat(response.statusCode()).isEqualTo(303);
    String after = cookieValue(sessionCookie(response).orElseThrow());
    assertThat(storedSessions(after)).isEqualTo(1);
    assertThat(storedSessions(before)).isZero();
  }

  @ParameterizedTest(name = "cookie {0}")
  @ValueSource(strings = {"short", "not-base62-not-base62-not-base62-not-base62", "%20%20"})
  void loginPageWhenCookieMalformedThenNewSessionCookie(String value) {
    HttpResponse<String> page = new MoneiTestClient().get(server.url() + "/login", "Cookie", COOKIE + "=" + value);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(sessionCookie(page).map(LoginTest::cookieValue)).get().isNotEqualTo(value);
  }

  @Test
  void sessionCookieWhenIssuerIsHttpsThenSecure() {
    // Own server: only this case needs an https issuer.
    try (TestServer https = TestServer.start(c -> c.withIssuer("https://connect.monei.example"))) {
      HttpResponse<String> page = new MoneiTestClient().get(https.url() + "/login");

      String setCookie = sessionCookie(page).orElseThrow(() -> new AssertionError("no session cookie"));
      assertThat(attributes(setCookie)).contains("secure", "httponly", "samesite=lax");
    }
  }

  // ---- return_to ----

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.example/x", "http://evil.example", "//evil.example", "//evil.example/x",
      "/\\evil.example", "///evil.example", "\\\\evil.example", "/\t/evil.example", " //evil.example",
      "javascript:alert(1)", "evil.example", "HTTPS://evil.example"})
  void loginWhenReturnToIsOtherOriginThenRedirectsHome(String returnTo) {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient();
    HttpResponse<String> page = browser.get(server.url() + "/login?return_to=" + MoneiTestClient.enc(returnTo));
    Document form = Jsoup.parse(page.body());
    assertThat(form.selectFirst("input[name=return_to]").val()).doesNotContain("evil");

    // An attacker's form may post return_to directly, so the POST must check it too.
    HttpResponse<String> response = postLogin(browser, user.email(), TestServer.PASSWORD,
        form.selectFirst("input[name=csrf_token]").val(), returnTo);

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(path(response)).isEqualTo("/");
    assertSignedIn(browser);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/account/connections", "/connect/authorize?client_id=mc_x&scope=profile%3Aread&state=a%26b"})
  void loginWhenReturnToIsSameOriginPathThenHonoured(String returnTo) {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient();

    HttpResponse<String> response = postLogin(browser, user.email(), TestServer.PASSWORD,
        csrfOf(browser, returnTo), returnTo);

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(path(response)).isEqualTo(returnTo);
  }

  @Test
  void loginPageWhenAlreadySignedInAndReturnToOtherOriginThenRedirectsHome() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    HttpResponse<String> response = flow.get(server.url() + "/login?return_to="
        + MoneiTestClient.enc("https://evil.example/x"));

    assertThat(response.statusCode()).isBetween(300, 399);
    assertThat(path(response)).isEqualTo("/");
  }

  // ---- headers and origins ----

  static Stream<Arguments> pages() {
    return Stream.of(
        Arguments.of(Named.of("login page", (Supplier<HttpResponse<String>>) () ->
            new MoneiTestClient().get(server.url() + "/login"))),
        Arguments.of(Named.of("login failure", (Supplier<HttpResponse<String>>) () -> {
          MoneiTestClient browser = new MoneiTestClient();
          return postLogin(browser, "nobody@monei.test", "whatever-pw", csrfOf(browser, "/"), "/");
        })),
        Arguments.of(Named.of("login csrf failure", (Supplier<HttpResponse<String>>) () ->
            postLogin(new MoneiTestClient(), "nobody@monei.test", "whatever-pw", "forged", "/"))),
        Arguments.of(Named.of("consent page", (Supplier<HttpResponse<String>>) LoginTest::consentPage)),
        Arguments.of(Named.of("authorize error page", (Supplier<HttpResponse<String>>) () ->
            new MoneiTestClient().get(server.url() + "/connect/authorize?client_id=mc_unknown&scope=profile:read"))),
        Arguments.of(Named.of("account home", (Supplier<HttpResponse<String>>) () ->
            new MoneiTestClient(server).signIn(server.user()).get(server.url() + "/"))),
        Arguments.of(Named.of("redirect to login", (Supplier<HttpResponse<String>>) () ->
            new MoneiTestClient().get(server.url() + "/"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pages")
  void pageWhenServedThenForbidsFramingAndReferrer(Supplier<HttpResponse<String>> page) {
    HttpResponse<String> response = page.get();

    assertThat(response.headers().firstValue("X-Frame-Options")).hasValueSatisfying(v ->
        assertThat(v).isEqualToIgnoringCase("DENY"));
    assertThat(response.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("frame-ancestors 'none'");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  static Stream<Arguments> pagesWithMarkup() {
    return Stream.of(
        Arguments.of(Named.of("login page", (Supplier<HttpResponse<String>>) () ->
            new MoneiTestClient().get(server.url() + "/login?return_to="
                + MoneiTestClient.enc("/account/connections")))),
        Arguments.of(Named.of("consent page with logo and wallet:send",
            (Supplier<HttpResponse<String>>) LoginTest::consentPage)),
        Arguments.of(Named.of("authorize error page", (Supplier<HttpResponse<String>>) () ->
            new MoneiTestClient().get(server.url() + "/connect/authorize?client_id=mc_unknown&scope=profile:read"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pagesWithMarkup")
  void pageWhenServedThenReferencesNoOtherOrigin(Supplier<HttpResponse<String>> page) {
    HttpResponse<String> response = page.get();
    assertThat(response.statusCode()).isIn(200, 400);
    Document doc = Jsoup.parse(response.body());

    for (Element e : doc.select("[src], [href], [action], [srcset], [formaction], [data]")) {
      for (String attribute : List.of("src", "href", "action", "srcset", "formaction", "data")) {
        if (!e.hasAttr(attribute)) continue;
        String value = e.attr(attribute).strip();
        assertThat(value).as("<%s %s>", e.tagName(), attribute).doesNotContainPattern("(?i)https?:")
            .doesNotStartWith("//").doesNotStartWith("\\");
      }
    }
    assertThat(doc.select("style, [style]").outerHtml()).doesNotContainPattern("(?i)url\\(\\s*['\"]?(https?:)?//");
  }

  // ---- sign-out ----

  @Test
  void logoutWhenCsrfValidThenSignedOutAndSessionEnded() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient();
    HttpResponse<String> login = postLogin(browser, user.email(), TestServer.PASSWORD, csrfOf(browser, "/"), "/");
    String session = cookieValue(sessionCookie(login).orElseThrow());
    HttpResponse<String> home = browser.get(server.url() + "/");
    assertThat(home.statusCode()).isEqualTo(200);
    Element form = Jsoup.parse(home.body()).selectFirst("form[action=/logout]");

    HttpResponse<String> response = browser.postForm(server.url() + "/logout",
        Map.of("csrf_token", form.selectFirst("input[name=csrf_token]").val()));

    assertThat(response.statusCode()).isEqualTo(303);
    assertNotSignedIn(browser);
    assertThat(withCookie(session).statusCode()).as("old session id no longer works").isEqualTo(302);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "forged-token"})
  void logoutWhenCsrfBadThenStillSignedIn(String csrf) {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    flow.postForm(server.url() + "/logout", csrf.isEmpty() ? Map.of() : Map.of("csrf_token", csrf));

    assertSignedIn(flow);
  }

  // ---- helpers ----

  private static String csrfOf(MoneiTestClient browser, String returnTo) {
    return csrfOf(server, browser, returnTo);
  }

  private static String csrfOf(TestServer s, MoneiTestClient browser, String returnTo) {
    HttpResponse<String> page = browser.get(s.url() + "/login?return_to=" + MoneiTestClient.enc(returnTo));
    assertThat(page.statusCode()).isEqualTo(200);
    return Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();
  }

  private static HttpResponse<String> postLogin(MoneiTestClient browser, String email, String password, String csrf,
      String returnTo) {
    return postLogin(server, browser, email, password, csrf, returnTo);
  }

  private static HttpResponse<String> postLogin(TestServer s, MoneiTestClient browser, String email, String password,
      String csrf, String returnTo) {
    return browser.postLogin(s.url(), email, password, csrf, returnTo);
  }

  private static void assertSignedIn(MoneiTestClient browser) {
    assertThat(browser.get(server.url() + "/").statusCode()).as("signed in").isEqualTo(200);
  }

  private static void assertNotSignedIn(MoneiTestClient browser) {
    HttpResponse<String> home = browser.get(server.url() + "/");
    assertThat(home.statusCode()).as("not signed in").isEqualTo(302);
    assertThat(home.headers().firstValue("Location").orElse("")).contains("/login");
  }

  /** GET / in a fresh browser presenting only the given session id. */
  private static HttpResponse<String> withCookie(String sessionId) {
    return new MoneiTestClient().get(server.url() + "/", "Cookie", COOKIE + "=" + sessionId);
  }

  private static long storedSessions(String sessionId) {
    return server.services().db.read("SELECT COUNT(*) AS n FROM sessions WHERE id_hash = ?",
        rs -> rs.next() ? rs.getLong("n") : 0L, Hashes.sha256(sessionId));
  }

  private static String errorMessage(HttpResponse<String> response) {
    Element error = Jsoup.parse(response.body()).selectFirst("[role=alert], .error");
    assertThat(error).as("an error message in %s", response.body()).isNotNull();
    return error.text();
  }

  private static Optional<String> sessionCookie(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).findFirst();
  }

  private static String cookieValue(String setCookie) {
    String pair = setCookie.split(";", 2)[0];
    return pair.substring(pair.indexOf('=') + 1);
  }

  private static List<String> attributes(String setCookie) {
    return Stream.of(setCookie.split(";")).skip(1).map(a -> a.strip().toLowerCase().replace(" ", "")).toList();
  }

  private static String path(HttpResponse<String> response) {
    String location = response.headers().firstValue("Location").orElseThrow(() ->
        new AssertionError("no Location; status " + response.statusCode()));
    return location.startsWith(server.url()) ? location.substring(server.url().length()) : location;
  }

  private static HttpResponse<String> consentPage() {
    User user = server.user();
    TestServer.TestApp app = server.app().name("Logo App").logo(tinyPng()).create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    return flow.get(flow.authorizeUrl(app, "profile:read wallet:read wallet:send", "st"));
  }

  private static byte[] tinyPng() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
