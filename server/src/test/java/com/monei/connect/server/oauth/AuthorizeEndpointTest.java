package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GET /connect/authorize over real HTTP: client and redirect URI verification (an error page, never a
 * redirect), errors sent back to the redirect URI after that, state and iss, and the detour via sign-in.
 */
@WithTestServer
class AuthorizeEndpointTest {
  private static final String CALLBACK = "http://localhost:3000/monei/callback";
  private static final String STATE = "st-7Hq2";

  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  // ---- client verification: a page, never a redirect ----

  static Stream<Arguments> clientProblems() {
    return Stream.of(
        Arguments.of(Named.of("unknown client_id", (UnaryOperator<String>) id -> "mc_NoSuchApp0000000000000000")),
        Arguments.of(Named.of("missing client_id", (UnaryOperator<String>) id -> null)),
        Arguments.of(Named.of("empty client_id", (UnaryOperator<String>) id -> "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientProblems")
  void authorizeWhenClientUnverifiedThenErrorPageWithoutRedirect(UnaryOperator<String> clientId) {
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id",
        clientId.apply(app.clientId()), "redirect_uri", app.redirectUri(), "response_type", "code",
        "scope", "profile:read", "state", STATE));

    assertErrorPage(response);
  }

  @Test
  void authorizeWhenClientIdRepeatedThenErrorPageWithoutRedirect() {
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "client_id", app.clientId(), "redirect_uri", app.redirectUri(), "response_type", "code",
        "scope", "profile:read", "state", STATE));

    assertErrorPage(response);
  }

  @Test
  void authorizeWhenClientIdRepeatedWithDifferentAppsThenErrorPageWithoutRedirect() {
    TestServer.TestApp app = server.app().create();
    TestServer.TestApp other = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "client_id", other.clientId(), "redirect_uri", app.redirectUri(), "scope", "profile:read",
        "state", STATE));

    assertErrorPage(response);
  }

  // ---- redirect URI verification: exact match only ----

  static Stream<Arguments> redirectUriMismatches() {
    return Stream.of(
        Arguments.of(Named.of("trailing slash added", CALLBACK + "/")),
        Arguments.of(Named.of("other port", "http://localhost:3001/monei/callback")),
        Arguments.of(Named.of("port spelled out differently", "http://localhost:03000/monei/callback")),
        Arguments.of(Named.of("other path", "http://localhost:3000/monei/other")),
        Arguments.of(Named.of("longer path", "http://localhost:3000/monei/callback/extra")),
        Arguments.of(Named.of("path prefix only", "http://localhost:3000/monei")),
        Arguments.of(Named.of("dot segments", "http://localhost:3000/monei/x/../callback")),
        Arguments.of(Named.of("extra query param", CALLBACK + "?next=1")),
        Arguments.of(Named.of("empty query", CALLBACK + "?")),
        Arguments.of(Named.of("other scheme https", "https://localhost:3000/monei/callback")),
        Arguments.of(Named.of("other host 127.0.0.1", "http://127.0.0.1:3000/monei/callback")),
        Arguments.of(Named.of("other host", "http://evil.example:3000/monei/callback")),
        Arguments.of(Named.of("user info", "http://localhost:3000@evil.example/monei/callback")),
        Arguments.of(Named.of("different case in path", "http://localhost:3000/Monei/Callback")),
        Arguments.of(Named.of("fragment appended", CALLBACK + "#frag")),
        Arguments.of(Named.of("percent-encoded path", "http://localhost:3000/monei/%63allback")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("redirectUriMismatches")
  void authorizeWhenRedirectUriNotExactlyRegisteredThenErrorPageWithoutRedirect(String redirectUri) {
    TestServer.TestApp app = server.app().redirectUris(CALLBACK).create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", redirectUri, "response_type", "code", "scope", "profile:read", "state", STATE));

    assertErrorPage(response);
  }

  @Test
  void authorizeWhenRedirectUriMismatchedForSignedInUserThenErrorPageWithoutRedirect() {
    User user = server.user();
    TestServer.TestApp app = server.app().redirectUris(CALLBACK).create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", CALLBACK + "/", "response_type", "code", "scope", "profile:read", "state", STATE));

    assertErrorPage(response);
  }

  @Test
  void authorizeWhenRedirectUriRepeatedThenErrorPageWithoutRedirect() {
    TestServer.TestApp app = server.app().redirectUris(CALLBACK).create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", CALLBACK, "redirect_uri", CALLBACK, "scope", "profile:read", "state", STATE));

    assertErrorPage(response);
  }

  @Test
  void authorizeWhenRedirectUriOmittedAndOneRegisteredThenCodeIssuedForIt() {
    User user = server.user();
    TestServer.TestApp app = server.app().redirectUris(CALLBACK).create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(),
        "response_type", "code", "scope", "profile:read", "state", STATE));
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("profile:read"));

    assertThat(redirect.statusCode()).isEqualTo(303);
    assertThat(location(redirect)).startsWith(CALLBACK + "?");
    Map<String, String> params = MoneiTestClient.query(redirect);
    assertThat(params).containsKey("code").containsEntry("state", STATE).containsEntry("iss", server.issuer());
    // SPEC 1.1: when omitted at authorize it may be omitted at the token endpoint too.
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", params.get("code"));
    form.put("client_id", app.clientId());
    form.put("client_secret", app.clientSecret());
    HttpResponse<String> exchange = new MoneiTestClient(server).tokenPostForm(form);
    assertThat(exchange.statusCode()).as(exchange.body()).isEqualTo(200);
    assertThat(MoneiTestClient.json(exchange).get("scopes")).extracting(JsonNode::asText)
        .containsExactly("profile:read");
  }

  @Test
  void authorizeWhenRedirectUriOmittedAndTwoRegisteredThenErrorPageWithoutRedirect() {
    User user = server.user();
    TestServer.TestApp app = server.app().redirectUris(CALLBACK, "http://localhost:3000/monei/other").create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "response_type", "code", "scope", "profile:read", "state", STATE));

    assertErrorPage(response);
  }

  @Test
  void authorizeWhenSecondRegisteredRedirectUriUsedThenCodeSentThere() {
    User user = server.user();
    String second = "http://localhost:3000/monei/other";
    TestServer.TestApp app = server.app().redirectUris(CALLBACK, second).create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", second, "scope", "profile:read", "state", STATE));
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("profile:read"));

    assertThat(redirect.statusCode()).isEqualTo(303);
    assertThat(location(redirect)).startsWith(second + "?");
    assertThat(MoneiTestClient.query(redirect)).containsKey("code");
  }

  // ---- after verification: errors go back to the redirect URI ----

  /** One authorize request that is wrong after client and redirect URI are verified. */
  record Case(boolean publicApp, String expectedError, List<String> params) {}

  static Stream<Arguments> redirectedErrors() {
    String challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    return Stream.of(
        errorCase("response_type=token", false, "unsupported_response_type",
            "response_type", "token", "scope", "profile:read"),
        errorCase("response_type=code token", false, "unsupported_response_type",
            "response_type", "code token", "scope", "profile:read"),
        errorCase("missing scope", false, "invalid_request", "response_type", "code"),
        errorCase("empty scope", false, "invalid_request", "response_type", "code", "scope", ""),
        errorCase("blank scope", false, "invalid_request", "response_type", "code", "scope", "   "),
        errorCase("unknown scope", false, "invalid_scope", "response_type", "code", "scope", "wallet:drain"),
        errorCase("unknown scope beside a known one", false, "invalid_scope",
            "response_type", "code", "scope", "profile:read wallet:drain"),
        errorCase("code_challenge_method=plain", false, "invalid_request",
            "scope", "profile:read", "code_challenge", challenge, "code_challenge_method", "plain"),
        errorCase("code_challenge without method", false, "invalid_request",
            "scope", "profile:read", "code_challenge", challenge),
        errorCase("code_challenge_method without challenge", false, "invalid_request",
            "scope", "profile:read", "code_challenge_method", "S256"),
        errorCase("S256 challenge of the wrong length", false, "invalid_request",
            "scope", "profile:read", "code_challenge", "tooShort", "code_challenge_method", "S256"),
        errorCase("public app without code_challenge", true, "invalid_request",
            "response_type", "code", "scope", "profile:read"),
        errorCase("public app with plain challenge", true, "invalid_request",
            "scope", "profile:read", "code_challenge", challenge, "code_challenge_method", "plain"),
        errorCase("repeated scope parameter", false, "invalid_request",
            "scope", "profile:read", "scope", "wallet:read"),
        errorCase("repeated response_type parameter", false, "invalid_request",
            "response_type", "code", "response_type", "code", "scope", "profile:read"));
  }

  private static Arguments errorCase(String name, boolean publicApp, String error, String... params) {
    return Arguments.of(Named.of(name, new Case(publicApp, error, List.of(params))));
  }

  @ParameterizedTest(name = "anonymous: {0}")
  @MethodSource("redirectedErrors")
  void authorizeWhenInvalidAfterVerificationThenErrorRedirectedForAnonymousBrowser(Case c) {
    assertErrorRedirect(c, new MoneiTestClient(server));
  }

  @ParameterizedTest(name = "signed in: {0}")
  @MethodSource("redirectedErrors")
  void authorizeWhenInvalidAfterVerificationThenErrorRedirectedForSignedInBrowser(Case c) {
    assertErrorRedirect(c, new MoneiTestClient(server).signIn(server.user()));
  }

  private static void assertErrorRedirect(Case c, MoneiTestClient flow) {
    TestServer.TestApp app = c.publicApp() ? server.app().publicClient().redirectUris(CALLBACK).create()
        : server.app().redirectUris(CALLBACK).create();
    List<String> params = new ArrayList<>(List.of("client_id", app.clientId(), "redirect_uri", CALLBACK));
    params.addAll(c.params());
    params.addAll(List.of("state", STATE));

    HttpResponse<String> response = flow.get(flow.authorizeUrl(params.toArray(String[]::new)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
    assertThat(location(response)).startsWith(CALLBACK + "?");
    Map<String, String> query = MoneiTestClient.query(response);
    assertThat(query).containsEntry("error", c.expectedError()).containsEntry("state", STATE)
        .containsEntry("iss", server.issuer()).doesNotContainKey("code");
    assertThat(query.get("error_description")).isNotBlank();
  }

  @Test
  void authorizeWhenErrorAndRegisteredUriHasQueryThenErrorAppendedWithAmpersand() {
    String registered = "http://localhost:3000/cb?tenant=7";
    TestServer.TestApp app = server.app().redirectUris(registered).create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", registered, "scope", "wallet:drain", "state", STATE));

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(location(response)).startsWith(registered + "&");
    assertThat(MoneiTestClient.query(response)).containsEntry("tenant", "7").containsEntry("error", "invalid_scope")
        .containsEntry("state", STATE).containsEntry("iss", server.issuer());
  }

  // ---- success paths ----

  @Test
  void authorizeWhenResponseTypeOmittedThenConsentShownAndCodeIssued() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", app.redirectUri(), "scope", "profile:read", "state", STATE));
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("profile:read"));

    assertThat(redirect.statusCode()).isEqualTo(303);
    Map<String, String> params = MoneiTestClient.query(redirect);
    assertThat(params).containsEntry("state", STATE).containsEntry("iss", server.issuer());
    assertThat(new MoneiTestClient(server).exchange(app, params.get("code")).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b&c=d", "x+y%20z?#/", "naïve ☃ 日本 🙂", "  leading and trailing  ",
      "eyJhbGciOi.J9-_~*'()!$;,:@"})
  void authorizeWhenStateHasSpecialCharactersThenReturnedUnchangedOnApprovalAndDenial(String state) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    MoneiTestClient.ConsentScreen allowScreen = flow.openConsent(flow.authorizeUrl(app, "profile:read", state));
    HttpResponse<String> approved = flow.submitConsent(allowScreen, "allow", List.of("profile:read"));
    MoneiTestClient.ConsentScreen denyScreen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", app.redirectUri(), "scope", "profile:read", "state", state, "prompt", "consent"));
    HttpResponse<String> denied = flow.submitConsent(denyScreen, "deny", List.of("profile:read"));

    assertThat(approved.statusCode()).isEqualTo(303);
    assertThat(MoneiTestClient.query(approved)).containsEntry("state", state).containsKey("code");
    assertThat(denied.statusCode()).isEqualTo(303);
    assertThat(MoneiTestClient.query(denied)).containsEntry("state", state).containsEntry("error", "access_denied");
  }

  @Test
  void authorizeWhenStateHasSpecialCharactersThenReturnedUnchangedOnErrorRedirect() {
    String state = "a b&c=d naïve ☃";
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> response = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", app.redirectUri(), "scope", "wallet:drain", "state", state));

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(MoneiTestClient.query(response)).containsEntry("state", state).containsEntry("error", "invalid_scope");
  }

  @Test
  void authorizeWhenRegisteredUriHasQueryThenCodeAppendedWithAmpersandKeepingIt() {
    User user = server.user();
    String registered = "http://localhost:3000/cb?tenant=7";
    TestServer.TestApp app = server.app().redirectUris(registered).create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", registered, "scope", "profile:read", "state", STATE));
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("profile:read"));

    assertThat(redirect.statusCode()).isEqualTo(303);
    String location = location(redirect);
    assertThat(location).startsWith(registered + "&");
    assertThat(location.chars().filter(ch -> ch == '?').count()).as(location).isEqualTo(1);
    Map<String, String> params = MoneiTestClient.query(redirect);
    assertThat(params).containsEntry("tenant", "7").containsKey("code").containsEntry("state", STATE)
        .containsEntry("iss", server.issuer());
    assertThat(new MoneiTestClient(server).exchange(app, params.get("code")).statusCode()).isEqualTo(200);
  }

  @Test
  void authorizeWhenNotSignedInThenLoginThenSameRequestResumesAtConsent() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server);
    String state = "resume me & keep=me";
    String authorize = flow.authorizeUrl(app, "profile:read wallet:read", state);

    HttpResponse<String> first = flow.get(authorize);

    assertThat(first.statusCode()).isEqualTo(302);
    String toLogin = location(first);
    assertThat(toLogin).startsWith("/login?return_to=");
    String returnTo = URLDecoder.decode(toLogin.substring("/login?return_to=".length()), StandardCharsets.UTF_8);
    assertThat(returnTo).startsWith("/connect/authorize?");
    assertThat(MoneiTestClient.query(server.url() + returnTo)).isEqualTo(MoneiTestClient.query(authorize));

    HttpResponse<String> signedIn = flow.submitLogin(user.email(), TestServer.PASSWORD, returnTo);

    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    assertThat(location(signedIn)).isIn(returnTo, server.url() + returnTo);
    HttpResponse<String> resumed = flow.get(absolute(location(signedIn)));
    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
    MoneiTestClient.ConsentScreen screen = MoneiTestClient.parseConsent(resumed.body());
    assertThat(screen.offeredScopes()).containsExactly("profile:read", "wallet:read");
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", screen.offeredScopes());
    assertThat(MoneiTestClient.query(redirect)).containsEntry("state", state).containsKey("code");
  }

  @Test
  void authorizeWhenNotSignedInThenLoginPageShownWithoutIssuingAnything() {
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> first = flow.get(flow.authorizeUrl(app, "profile:read", STATE));
    HttpResponse<String> login = flow.get(absolute(location(first)));

    assertThat(first.statusCode()).isEqualTo(302);
    assertThat(location(first)).doesNotContain("code=").doesNotStartWith(CALLBACK);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(login.body()).selectFirst("form[action=/login]")).isNotNull();
  }

  // ---- helpers ----

  private static void assertErrorPage(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Location")).isEmpty();
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(Jsoup.parse(response.body()).selectFirst("form[action=/connect/consent]")).isNull();
    assertThat(response.body()).doesNotContain("code=");
  }

  private static String location(HttpResponse<String> response) {
    return response.headers().firstValue("Location").orElseThrow(() ->
        new AssertionError("no Location; status " + response.statusCode() + ": " + response.body()));
  }

  private static String absolute(String location) {
    return URI.create(location).isAbsolute() ? location : server.url() + location;
  }
}
