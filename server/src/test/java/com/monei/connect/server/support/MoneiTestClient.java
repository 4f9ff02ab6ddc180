package com.monei.connect.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.account.User;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The one test client for a Monei server over real HTTP: one user's browser (its own cookies) and the
 * back channel of the apps that user authorizes (token endpoint, revocation, introspection, the API),
 * with the flows as methods. It never follows redirects, so tests look at each one.
 *
 * <p>Browser requests carry this client's cookies; back-channel requests carry none, as an app's
 * server never holds the user's session. Paths starting with {@code /} resolve against the server.
 */
public final class MoneiTestClient {
  /** The PKCE verifier every public-app grant here uses, and its S256 challenge. */
  public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  public static final String CHALLENGE = s256(VERIFIER);
  /** The developer portal's app list, where registration posts. */
  public static final String PORTAL_APPS = "/developers/apps";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient browser;
  private final HttpClient backChannel;

  /** A new browser and back channel against a test server. */
  public MoneiTestClient(TestServer server) {
    this(server.url());
  }

  /** A new browser and back channel against any Monei base URL (another process). */
  public MoneiTestClient(String baseUrl) {
    this(baseUrl, newClient(true));
  }

  /** A browser with no home server: absolute URLs only. */
  public MoneiTestClient() {
    this("");
  }

  private MoneiTestClient(String baseUrl, HttpClient browser) {
    this.baseUrl = baseUrl;
    this.browser = browser;
    this.backChannel = newClient(false);
  }

  /** The same browser (same cookies) against another base URL, as when two servers share a cookie domain. */
  public MoneiTestClient sameBrowserAt(String otherBaseUrl) {
    return new MoneiTestClient(otherBaseUrl, browser);
  }

  private static HttpClient newClient(boolean withCookies) {
    HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5));
    if (withCookies) builder.cookieHandler(new CookieManager());
    return builder.build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The Cookie header this browser sends to its server, for requests written by hand ({@link RawHttp}). */
  public String cookieHeader() {
    try {
      Map<String, List<String>> cookies = browser.cookieHandler().orElseThrow().get(URI.create(baseUrl + "/"),
          Map.of());
      return String.join("; ", cookies.getOrDefault("Cookie", List.of()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- browser requests: any URL or server path, with this browser's cookies ----

  public HttpResponse<String> get(String urlOrPath, String... headers) {
    return send(browser, builder(urlOrPath, headers).GET());
  }

  public HttpResponse<String> postForm(String urlOrPath, Map<String, String> form, String... headers) {
    return postRawForm(urlOrPath, form(form), headers);
  }

  /** A form body written by hand, for repeated fields and other shapes a map cannot express. */
  public HttpResponse<String> postRawForm(String urlOrPath, String body, String... headers) {
    return post(urlOrPath, "application/x-www-form-urlencoded", body, headers);
  }

  public HttpResponse<String> postJson(String urlOrPath, String json, String... headers) {
    return post(urlOrPath, "application/json", json, headers);
  }

  public HttpResponse<String> post(String urlOrPath, String contentType, String body, String... headers) {
    return send(browser, post(builder(urlOrPath, headers), contentType, body));
  }

  /** Follows a redirect in this browser: GET of its Location. */
  public HttpResponse<String> follow(HttpResponse<String> redirect) {
    assertThat(redirect.statusCode()).as("a redirect: %s", redirect.body()).isBetween(301, 308);
    return get(redirect.headers().firstValue("Location").orElseThrow());
  }

  /** The value of this browser's cookie {@code name}, whatever its path, or null when it has none. */
  public String cookie(String name) {
    return cookies().getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue).findFirst().orElse(null);
  }

  /** Plants a cookie in this browser, as when a cookie was copied out of another one. */
  public void addCookie(String name, String value, String path) {
    HttpCookie cookie = new HttpCookie(name, value);
    cookie.setPath(path);
    cookie.setVersion(0);
    cookies().getCookieStore().add(URI.create(baseUrl), cookie);
  }

  private CookieManager cookies() {
    return (CookieManager) browser.cookieHandler().orElseThrow();
  }

  public HttpResponse<String> postMultipart(String urlOrPath, Multipart body) {
    return send(browser, builder(urlOrPath).header("Content-Type", body.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
  }

  // ---- sign-in and consent, in this browser ----

  /** Signs this browser in through the login form. */
  public MoneiTestClient signIn(User user) {
    return signIn(user.email(), TestServer.PASSWORD);
  }

  public MoneiTestClient signIn(String email, String password) {
    HttpResponse<String> response = submitLogin(email, password, "/");
    assertThat(response.statusCode()).as("sign-in answer: %s", response.body()).isEqualTo(303);
    return this;
  }

  /** True when this browser is signed in: the home page answers 200, and 302 to /login otherwise. */
  public boolean signedIn() {
    int status = get(baseUrl + "/").statusCode();
    assertThat(status).as("home page").isIn(200, 302);
    return status == 200;
  }

  /** Loads the login form and submits it; returns the server's answer. */
  public HttpResponse<String> submitLogin(String email, String password, String returnTo) {
    HttpResponse<String> page = get(baseUrl + "/login?return_to=" + enc(returnTo));
    assertThat(page.statusCode()).isEqualTo(200);
    Document doc = Jsoup.parse(page.body());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", doc.selectFirst("input[name=csrf_token]").val());
    form.put("return_to", doc.selectFirst("input[name=return_to]").val());
    form.put("email", email);
    form.put("password", password);
    return postForm(baseUrl + "/login", form);
  }

  /**
   * Posts the login form of the server at {@code serverUrl} as given: {@code csrf} null leaves the
   * field out, so tests can forge or omit it. Returns the server's answer.
   */
  public HttpResponse<String> postLogin(String serverUrl, String email, String password, String csrf,
      String returnTo, String... headers) {
    Map<String, String> form = new LinkedHashMap<>();
    if (csrf != null) form.put("csrf_token", csrf);
    form.put("return_to", returnTo);
    form.put("email", email);
    form.put("password", password);
    return postForm(serverUrl + "/login", form, headers);
  }

  /** Loads the login form in this browser and returns its CSRF token, for posts made with {@link #postLogin}. */
  public String loginCsrf() {
    HttpResponse<String> page = get(baseUrl + "/login");
    assertThat(page.statusCode()).isEqualTo(200);
    return Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();
  }

  // ---- passkeys (SPEC 7), as the page script calls them ----

  /** The CSRF token of the passkeys section of /account/security, signed in. */
  public String passkeysCsrf() {
    HttpResponse<String> page = get(baseUrl + "/account/security");
    assertThat(page.statusCode()).as("security page").isEqualTo(200);
    return Jsoup.parse(page.body()).selectFirst("#passkey-new").attr("data-csrf-token");
  }

  /** Asks for creation options and answers them with {@code passkey}; returns the server's answer. */
  public HttpResponse<String> addPasskey(SoftwarePasskey passkey, String name) {
    String csrf = passkeysCsrf();
    HttpResponse<String> options = postJson(baseUrl + "/account/security/passkeys/options", csrfJson(csrf));
    assertThat(options.statusCode()).as("creation options: %s", options.body()).isEqualTo(200);
    var body = JSON.createObjectNode().put("csrf_token", csrf).put("name", name);
    body.set("credential", passkey.register(json(options), baseUrl));
    return postJson(baseUrl + "/account/security/passkeys", body.toString());
  }

  /** Asks for sign-in options with the login form's {@code csrf}; returns their challenge. */
  public String passkeyChallenge(String csrf) {
    HttpResponse<String> options = postJson(baseUrl + "/login/passkey/options", csrfJson(csrf));
    assertThat(options.statusCode()).as("request options: %s", options.body()).isEqualTo(200);
    return json(options).path("challenge").asText();
  }

  /** Posts an assertion ({@code credential}) to /login/passkey as the login page's script does. */
  public HttpResponse<String> postPasskeySignIn(JsonNode credential, String csrf, String returnTo) {
    var body = JSON.createObjectNode();
    if (csrf != null) body.put("csrf_token", csrf);
    body.put("return_to", returnTo);
    body.set("credential", credential);
    return postJson(baseUrl + "/login/passkey", body.toString());
  }

  /** Signs this browser in with {@code passkey} from the login page; returns the server's answer. */
  public HttpResponse<String> signInWithPasskey(SoftwarePasskey passkey, String returnTo) {
    String csrf = loginCsrf();
    String challenge = passkeyChallenge(csrf);
    return postPasskeySignIn(passkey.assertion(challenge, baseUrl, URI.create(baseUrl).getHost()), csrf, returnTo);
  }

  /** The CSRF token of the open send confirmation page at {@code url} (SPEC 1.6), signed in. */
  public String confirmationCsrf(String url) {
    HttpResponse<String> page = get(url);
    assertThat(page.statusCode()).as("confirmation page").isEqualTo(200);
    return Jsoup.parse(page.body()).selectFirst("form[method=post] input[name=csrf_token]").val();
  }

  /** Asks for the options to answer the confirmation at {@code url} with a passkey, as its page's script does. */
  public HttpResponse<String> confirmationPasskeyOptions(String url, String csrf) {
    return postJson(url + "/passkey/options", csrf == null ? "{}" : csrfJson(csrf));
  }

  /** Posts {@code decision} with an assertion ({@code credential}) for the confirmation at {@code url}. */
  public HttpResponse<String> postPasskeyAnswer(String url, String csrf, String decision, JsonNode credential) {
    var body = JSON.createObjectNode();
    if (csrf != null) body.put("csrf_token", csrf);
    body.put("decision", decision);
    body.set("credential", credential);
    return postJson(url + "/passkey", body.toString());
  }

  /** Answers the confirmation at {@code url} with {@code passkey} from its page; returns the server's answer. */
  public HttpResponse<String> answerWithPasskey(SoftwarePasskey passkey, String url, String decision) {
    String csrf = confirmationCsrf(url);
    HttpResponse<String> options = confirmationPasskeyOptions(url, csrf);
    assertThat(options.statusCode()).as("request options: %s", options.body()).isEqualTo(200);
    JsonNode credential = passkey.assertion(json(options).path("challenge").asText(), baseUrl,
        URI.create(baseUrl).getHost());
    return postPasskeyAnswer(url, csrf, decision, credential);
  }

  private static String csrfJson(String csrf) {
    return JSON.createObjectNode().put("csrf_token", csrf).toString();
  }

  /** The authorize URL with the given parameters, in order; null values are left out. */
  public String authorizeUrl(String... keyValues) {
    StringBuilder sb = new StringBuilder(baseUrl).append("/connect/authorize");
    char sep = '?';
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] == null) continue;
      sb.append(sep).append(enc(keyValues[i])).append('=').append(enc(keyValues[i + 1]));
      sep = '&';
    }
    return sb.toString();
  }

  public String authorizeUrl(TestServer.TestApp app, String scope, String state) {
    return authorizeUrl("client_id", app.clientId(), "redirect_uri", app.redirectUri(), "response_type", "code",
        "scope", scope, "state", state);
  }

  /** The consent form as the server rendered it. */
  public record ConsentScreen(String requestId, String csrfToken, List<String> offeredScopes, Document page) {}

  /** Opens the authorize URL (signed in) and expects the consent screen. */
  public ConsentScreen openConsent(String authorizeUrl) {
    HttpResponse<String> response = get(authorizeUrl);
    assertThat(response.statusCode()).as("consent page: %s", response.body()).isEqualTo(200);
    return parseConsent(response.body());
  }

  public static ConsentScreen parseConsent(String html) {
    Document doc = Jsoup.parse(html);
    Element form = doc.selectFirst("form[action=/connect/consent]");
    assertThat(form).as("consent form in %s", html).isNotNull();
    List<String> scopes = new ArrayList<>();
    for (Element box : form.select("input[type=checkbox][name=scope]")) scopes.add(box.val());
    return new ConsentScreen(form.selectFirst("input[name=request_id]").val(),
        form.selectFirst("input[name=csrf_token]").val(), scopes, doc);
  }

  /** Submits the consent form with exactly {@code ticked} checked and the given decision. */
  public HttpResponse<String> submitConsent(ConsentScreen screen, String decision, Collection<String> ticked,
      String... extraFields) {
    StringBuilder body = new StringBuilder();
    body.append("request_id=").append(enc(screen.requestId()));
    body.append("&csrf_token=").append(enc(screen.csrfToken()));
    for (String scope : ticked) body.append("&scope=").append(enc(scope));
    if (decision != null) body.append("&decision=").append(enc(decision));
    for (int i = 0; i + 1 < extraFields.length; i += 2)
      body.append('&').append(enc(extraFields[i])).append('=').append(enc(extraFields[i + 1]));
    return postRawForm(baseUrl + "/connect/consent", body.toString());
  }

  /** Signs in if needed, approves {@code ticked} of {@code scope}, and returns the code from the redirect. */
  public String approve(TestServer.TestApp app, String scope, Collection<String> ticked, String... extraParams) {
    List<String> params = new ArrayList<>(List.of("client_id", app.clientId(), "redirect_uri", app.redirectUri(),
        "response_type", "code", "scope", scope, "state", "st-" + System.nanoTime()));
    params.addAll(List.of(extraParams));
    ConsentScreen screen = openConsent(authorizeUrl(params.toArray(String[]::new)));
    HttpResponse<String> redirect = submitConsent(screen, "allow", ticked);
    assertThat(redirect.statusCode()).isEqualTo(303);
    return query(redirect).get("code");
  }

  /** A second authorization for an app the user already approved: consent is remembered, so 302 with a code. */
  public String rememberedCode(TestServer.TestApp app, String scope) {
    HttpResponse<String> response = get(authorizeUrl(app, scope, "again-" + System.nanoTime()));
    assertThat(response.statusCode()).as("remembered consent answers at once: %s", response.body()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(app.redirectUri() + "?");
    String code = query(response).get("code");
    assertThat(code).as("code in %s", response.headers().firstValue("Location")).isNotNull();
    return code;
  }

  // ---- two-step verification, in this browser ----

  public static final String SECURITY = "/account/security";

  /** What turning the authenticator app on showed: its secret, and the recovery codes (shown once). */
  public record TwoStep(String secret, List<String> recoveryCodes) {}

  /** The CSRF token of the forms on /account/security (signed in). */
  public String securityCsrf() {
    HttpResponse<String> page = get(SECURITY);
    assertThat(page.statusCode()).as("security page: %s", page.body()).isEqualTo(200);
    return Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();
  }

  /** Starts setting up an authenticator app; returns the page with the new secret. */
  public HttpResponse<String> startTotp() {
    return postForm(SECURITY + "/totp", Map.of("csrf_token", securityCsrf()));
  }

  /** The secret a page shows in {@code code#totp-secret}, or null when it shows none. */
  public static String shownSecret(HttpResponse<String> page) {
    Element secret = Jsoup.parse(page.body()).selectFirst("code#totp-secret");
    return secret == null ? null : secret.text();
  }

  /** The recovery codes a page shows in {@code ul#recovery-codes}, none when it shows none. */
  public static List<String> shownRecoveryCodes(HttpResponse<String> page) {
    return Jsoup.parse(page.body()).select("ul#recovery-codes li").eachText();
  }

  /** Posts the confirming code of an enrolment in progress. */
  public HttpResponse<String> confirmTotp(String code) {
    return postForm(SECURITY + "/totp/confirm", Map.of("csrf_token", securityCsrf(), "code", code));
  }

  /**
   * Signed in: turns the authenticator app on, confirming with the code an app shows at {@code now}
   * (the server's clock), and returns the secret and the recovery codes shown.
   */
  public TwoStep enableTwoStep(Instant now) {
    String secret = shownSecret(startTotp());
    assertThat(secret).as("secret shown").isNotNull();
    HttpResponse<String> confirmed = confirmTotp(TotpCodes.at(secret, now));
    assertThat(confirmed.statusCode()).as("confirm: %s", confirmed.body()).isEqualTo(200);
    return new TwoStep(secret, shownRecoveryCodes(confirmed));
  }

  /** Loads the second step of sign-in (/login/verify) and submits {@code code}; returns the answer. */
  public HttpResponse<String> submitLoginCode(String code) {
    HttpResponse<String> page = get(baseUrl + "/login/verify");
    assertThat(page.statusCode()).as("second-step page: %s", page.body()).isEqualTo(200);
    String csrf = Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();
    return postForm(baseUrl + "/login/verify", Map.of("csrf_token", csrf, "code", code));
  }

  // ---- the developer portal, in this browser ----

  /** The CSRF token of the registration form on the portal's app list. */
  public String portalCsrf() {
    HttpResponse<String> page = get(PORTAL_APPS);
    assertThat(page.statusCode()).isEqualTo(200);
    Element field = Jsoup.parse(page.body()).selectFirst("form[action=/developers/apps] input[name=csrf_token]");
    assertThat(field).isNotNull();
    return field.val();
  }

  // ---- the app's back channel: no cookies ----

  /** One token family: the app and the first access and refresh token issued from one code. */
  public record Grant(TestServer.TestApp app, String access, String refresh) {}

  public String tokenUrl() {
    return baseUrl + "/api/v1/connect/token";
  }

  public String revokeUrl() {
    return baseUrl + "/api/v1/connect/revoke";
  }

  public String introspectUrl() {
    return baseUrl + "/api/v1/connect/introspect";
  }

  /** Exchanges a code with client_secret_post in a form body. */
  public HttpResponse<String> exchange(TestServer.TestApp app, String code) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", app.redirectUri());
    form.put("client_id", app.clientId());
    if (app.clientSecret() != null) form.put("client_secret", app.clientSecret());
    return tokenPostForm(form);
  }

  /** Exchanges and returns the token response, failing the test when the exchange fails. */
  public JsonNode exchangeOk(TestServer.TestApp app, String code) {
    HttpResponse<String> response = exchange(app, code);
    if (response.statusCode() != 200) throw new AssertionError("exchange failed: " + response.body());
    return json(response);
  }

  public HttpResponse<String> tokenPostForm(Map<String, String> form, String... headers) {
    return tokenPost("application/x-www-form-urlencoded", form(form), headers);
  }

  public HttpResponse<String> tokenPostJson(String json, String... headers) {
    return tokenPost("application/json", json, headers);
  }

  public HttpResponse<String> tokenPost(String contentType, String body, String... headers) {
    return send(backChannel, post(builder(tokenUrl(), headers), contentType, body));
  }

  /** Approves {@code scope} (all of it) in this browser, signed in already, and redeems the code. */
  public Grant grant(TestServer.TestApp app, String scope) {
    return redeem(app, approve(app, scope, List.of(scope.split(" "))));
  }

  /** A public app's grant: PKCE on the authorize request and the verifier at the token endpoint. */
  public Grant grantPublic(TestServer.TestApp app, String scope) {
    String code = approve(app, scope, List.of(scope.split(" ")), "code_challenge", CHALLENGE,
        "code_challenge_method", "S256");
    return redeem(app, code);
  }

  /** Exchanges a code (with the shared verifier for public apps) and returns the family's tokens. */
  public Grant redeem(TestServer.TestApp app, String code) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", app.redirectUri());
    form.put("client_id", app.clientId());
    if (app.clientSecret() != null) form.put("client_secret", app.clientSecret());
    else form.put("code_verifier", VERIFIER);
    HttpResponse<String> response = tokenPostForm(form);
    assertThat(response.statusCode()).as("exchange: %s", response.body()).isEqualTo(200);
    JsonNode body = json(response);
    return new Grant(app, body.get("access_token").asText(), body.get("refresh_token").asText());
  }

  /** grant_type=refresh_token with the app's own credentials. */
  public HttpResponse<String> refresh(TestServer.TestApp app, String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", app.clientId());
    if (app.clientSecret() != null) form.put("client_secret", app.clientSecret());
    return tokenPostForm(form);
  }

  /** The OAuth error code of a refresh, or "ok" when it succeeded. */
  public String refreshOutcome(TestServer.TestApp app, String refreshToken) {
    HttpResponse<String> response = refresh(app, refreshToken);
    return response.statusCode() == 200 ? "ok" : json(response).get("error").asText();
  }

  /** Revokes with the app's own credentials: HTTP Basic for confidential apps, client_id alone for public ones. */
  public HttpResponse<String> revoke(TestServer.TestApp app, String token) {
    return revoke(app, token, null);
  }

  public HttpResponse<String> revoke(TestServer.TestApp app, String token, String hint) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", token);
    if (hint != null) form.put("token_type_hint", hint);
    if (app.clientSecret() == null) {
      form.put("client_id", app.clientId());
      return revokeRaw("application/x-www-form-urlencoded", form(form));
    }
    return revokeRaw("application/x-www-form-urlencoded", form(form),
        "Authorization", basic(app.clientId(), app.clientSecret()));
  }

  /** A revocation request with any body and headers, for the negative cases. */
  public HttpResponse<String> revokeRaw(String contentType, String body, String... headers) {
    return send(backChannel, post(builder(revokeUrl(), headers), contentType, body));
  }

  /** Introspects as {@code caller} (HTTP Basic). */
  public HttpResponse<String> introspect(TestServer.TestApp caller, String token) {
    return introspectRaw("application/x-www-form-urlencoded", form(Map.of("token", token)),
        "Authorization", basic(caller.clientId(), caller.clientSecret()));
  }

  public HttpResponse<String> introspectRaw(String contentType, String body, String... headers) {
    return send(backChannel, post(builder(introspectUrl(), headers), contentType, body));
  }

  /** GET on the API with the bearer token, or none when it is null. */
  public HttpResponse<String> api(String path, String accessToken) {
    HttpRequest.Builder request = accessToken == null ? builder(baseUrl + path)
        : builder(baseUrl + path, "Authorization", "Bearer " + accessToken);
    return send(backChannel, request.GET());
  }

  /** POST /api/v1/wallet/send with the token and, unless it is null, the Idempotency-Key. */
  public HttpResponse<String> sendMoney(String accessToken, String key, String json) {
    HttpRequest.Builder request = key == null
        ? builder(baseUrl + "/api/v1/wallet/send", "Authorization", "Bearer " + accessToken)
        : builder(baseUrl + "/api/v1/wallet/send", "Authorization", "Bearer " + accessToken, "Idempotency-Key", key);
    return send(backChannel, post(request, "application/json", json));
  }

  /**
   * Approves {@code scope} (which includes wallet:send) in this browser, signed in already, with the
   * consent screen's send fields ({@code confirmAbove} null leaves that field empty), and returns the
   * token response.
   */
  public JsonNode grantSend(TestServer.TestApp app, String scope, String limit, String currency, String confirmAbove) {
    ConsentScreen screen = openConsent(authorizeUrl(app, scope, "st-" + System.nanoTime()));
    HttpResponse<String> redirect = submitConsent(screen, "allow", List.of(scope.split(" ")), "send_limit", limit,
        "send_limit_currency", currency, "send_confirm_above", confirmAbove == null ? "" : confirmAbove);
    assertThat(redirect.statusCode()).as("consent: %s", redirect.body()).isEqualTo(303);
    return exchangeOk(app, query(redirect).get("code"));
  }

  /** GET /api/v1/profile/me with the token: 200 while it works, 401 once it is revoked or expired. */
  public int profileStatus(String accessToken) {
    return api("/api/v1/profile/me", accessToken).statusCode();
  }

  // ---- helpers for reading answers and writing bodies ----

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON (status " + response.statusCode() + "): " + response.body(), e);
    }
  }

  /** The OAuth error code of a JSON error answer, or null when it has none. */
  public static String error(HttpResponse<String> response) {
    JsonNode error = json(response).get("error");
    return error == null ? null : error.asText();
  }

  /** The query parameters of a redirect's Location. */
  public static Map<String, String> query(HttpResponse<String> redirect) {
    String location = redirect.headers().firstValue("Location").orElseThrow(() ->
        new AssertionError("no Location header; status " + redirect.statusCode() + " body " + redirect.body()));
    return query(location);
  }

  public static Map<String, String> query(String location) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = URI.create(location).getRawQuery();
    if (raw == null) return params;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  public static String basic(String clientId, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  public static String form(Map<String, String> form) {
    StringJoiner joiner = new StringJoiner("&");
    form.forEach((k, v) -> joiner.add(enc(k) + "=" + enc(v)));
    return joiner.toString();
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A multipart/form-data body written by hand (RFC 7578), as a browser sends the registration form. */
  public static final class Multipart {
    private final String boundary = "----MoneiTestBoundary" + Long.toHexString(System.nanoTime());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Multipart field(String name, String value) {
      if (value == null) return this;
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
      return this;
    }

    /** A file part; browsers send one with an empty filename and no bytes when no file was chosen. */
    public Multipart file(String name, String filename, String contentType, byte[] data) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
          + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
      out.writeBytes(data);
      write("\r\n");
      return this;
    }

    /** The logo part as a browser sends it when no file was chosen. */
    public Multipart emptyLogo() {
      return file("logo", "", "application/octet-stream", new byte[0]);
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    byte[] bytes() {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      copy.writeBytes(out.toByteArray());
      copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return copy.toByteArray();
    }

    private void write(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  private HttpRequest.Builder builder(String urlOrPath, String... headers) {
    String url = urlOrPath.startsWith("/") ? baseUrl + urlOrPath : urlOrPath;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return b;
  }

  private static HttpRequest.Builder post(HttpRequest.Builder b, String contentType, String body) {
    if (contentType != null) b.header("Content-Type", contentType);
    return b.POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
    HttpRequest built = request.build();
    try {
      return client.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("HTTP request failed: " + built.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
