package com.monei.connect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser (its own cookie jar and connection) plus the app's back channel, driving the pages
 * and the token endpoint the way a person and an app would. Never follows redirects by itself.
 * Methods throw {@link Benchmark.Failed} when the server answers anything unexpected.
 */
final class Browser {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final String SCOPE = "wallet:read wallet:send";
  /** Every scope of SPEC 1.7, as the outside harness's flows ask for and tick them all. */
  static final String ALL_SCOPES = "profile:read wallet:read wallet:send";
  private static final Pattern HIDDEN = Pattern.compile("name=\"([a-z_]+)\" value=\"([^\"]*)\"");

  /** Tokens from one answer of the token endpoint. */
  record Tokens(String access, String refresh) {}

  private final Benchmark.Options o;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;

  Browser(Benchmark.Options o) {
    this.o = o;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A fresh browser profile: no cookies, so no session (the connection is kept). */
  void forgetCookies() {
    cookies.getCookieStore().removeAll();
  }

  /** The authorization request of the bench app, relative to the server; prompt=consent shows the screen again. */
  String authorizePath(boolean promptConsent) {
    return authorizePath(promptConsent, SCOPE);
  }

  private String authorizePath(boolean promptConsent, String scope) {
    return "/connect/authorize?response_type=code&client_id=" + enc(o.clientId()) + "&redirect_uri="
        + enc(o.redirectUri()) + "&scope=" + enc(scope) + "&state=bench" + (promptConsent ? "&prompt=consent" : "");
  }

  /** GET /login?return_to=…: the sign-in form's hidden fields (csrf_token, return_to). */
  Map<String, String> loginForm(String returnTo) throws IOException, InterruptedException, Benchmark.Failed {
    return hiddenFields(expect(get("/login?return_to=" + enc(returnTo)), 200));
  }

  /** POST /login with the form's fields; answers where the server sends the browser next. */
  String submitLogin(Map<String, String> loginForm, String email)
      throws IOException, InterruptedException, Benchmark.Failed {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", loginForm.get("csrf_token"));
    form.put("return_to", loginForm.get("return_to"));
    form.put("email", email);
    form.put("password", o.password());
    return location(expect(post("/login", form(form)), 303));
  }

  void signIn(String email) throws IOException, InterruptedException, Benchmark.Failed {
    submitLogin(loginForm("/"), email);
  }

  /** GET of the authorization request on a signed-in session: the consent page's fields, or null and the code. */
  HttpResponse<String> openAuthorize(String path) throws IOException, InterruptedException {
    return http.send(get(path), HttpResponse.BodyHandlers.ofString());
  }

  Map<String, String> consentFields(HttpResponse<String> page) throws Benchmark.Failed {
    check(page, 200);
    // The page also has the "Not you?" sign-out form with a csrf_token of its own: only the consent form counts.
    int form = page.body().indexOf("action=\"/connect/consent\"");
    if (form < 0) throw new Benchmark.Failed("no consent form in the page");
    Map<String, String> fields = hiddenFields(page.body().substring(form));
    if (!fields.containsKey("request_id")) throw new Benchmark.Failed("no consent form in the page");
    return fields;
  }

  /** POST /connect/consent: allow both scopes with a send limit no bench run reaches; answers the code. */
  String allow(Map<String, String> consent) throws IOException, InterruptedException, Benchmark.Failed {
    return allow(consent, SCOPE);
  }

  /** POST /connect/consent ticking every scope of {@code scope} (space-separated). */
  private String allow(Map<String, String> consent, String scope)
      throws IOException, InterruptedException, Benchmark.Failed {
    StringBuilder decision = new StringBuilder("request_id=").append(enc(consent.get("request_id")))
        .append("&csrf_token=").append(enc(consent.get("csrf_token")));
    for (String s : scope.split(" ")) decision.append("&scope=").append(enc(s));
    decision.append("&decision=allow&send_limit=1000000000.00&send_limit_currency=NGN");
    return codeFrom(location(expect(post("/connect/consent", decision.toString()), 303)));
  }

  /** A code for the signed-in user: straight from a remembered consent (302), or through the consent screen. */
  String code() throws IOException, InterruptedException, Benchmark.Failed {
    return code(SCOPE);
  }

  /** A code for these scopes: remembered consent (302), or the screen (only new scopes shown) with all ticked. */
  String code(String scope) throws IOException, InterruptedException, Benchmark.Failed {
    HttpResponse<String> answer = openAuthorize(authorizePath(false, scope));
    if (answer.statusCode() == 302) return codeFrom(location(answer));
    return allow(consentFields(answer), scope);
  }

  /** GET /connect/authorize with a remembered consent: must answer 302 with a code. */
  String rememberedCode() throws IOException, InterruptedException, Benchmark.Failed {
    return codeFrom(location(check(openAuthorize(authorizePath(false)), 302)));
  }

  Tokens exchange(String code) throws IOException, InterruptedException, Benchmark.Failed {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", o.redirectUri());
    form.put("client_id", o.clientId());
    form.put("client_secret", o.clientSecret());
    return tokens(expect(post("/api/v1/connect/token", form(form)), 200));
  }

  Tokens refresh(String refreshToken) throws IOException, InterruptedException, Benchmark.Failed {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", o.clientId());
    form.put("client_secret", o.clientSecret());
    return tokens(expect(post("/api/v1/connect/token", form(form)), 200));
  }

  // ---- plumbing

  private Tokens tokens(HttpResponse<String> answer) throws IOException, Benchmark.Failed {
    JsonNode json = Benchmark.JSON.readTree(answer.body());
    if (!json.hasNonNull("access_token") || !json.hasNonNull("refresh_token"))
      throw new Benchmark.Failed("token answer without both tokens: " + answer.body());
    return new Tokens(json.get("access_token").asText(), json.get("refresh_token").asText());
  }

  private String codeFrom(String location) throws Benchmark.Failed {
    Map<String, String> query = QueryString.parse(location);
    String code = query.get("code");
    if (code == null || !"bench".equals(query.get("state")))
      throw new Benchmark.Failed("redirect without a code: " + query.keySet() + " error=" + query.get("error"));
    return code;
  }

  HttpRequest get(String path) {
    return HttpRequest.newBuilder(o.base().resolve(path)).timeout(REQUEST_TIMEOUT).GET().build();
  }

  private HttpRequest post(String path, String formBody) {
    return HttpRequest.newBuilder(o.base().resolve(path)).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(formBody)).build();
  }

  private HttpResponse<String> expect(HttpRequest request, int status)
      throws IOException, InterruptedException, Benchmark.Failed {
    return check(http.send(request, HttpResponse.BodyHandlers.ofString()), status);
  }

  static HttpResponse<String> check(HttpResponse<String> response, int status) throws Benchmark.Failed {
    if (response.statusCode() != status) {
      String body = response.body() == null ? "" : response.body();
      throw new Benchmark.Failed(response.request().method() + " " + response.request().uri().getPath() + " answered "
          + response.statusCode() + ", expected " + status + ": " + body.substring(0, Math.min(300, body.length())));
    }
    return response;
  }

  private static String location(HttpResponse<String> response) throws Benchmark.Failed {
    return response.headers().firstValue("Location")
        .orElseThrow(() -> new Benchmark.Failed(response.statusCode() + " without Location"));
  }

  private static Map<String, String> hiddenFields(HttpResponse<String> page) {
    return hiddenFields(page.body());
  }

  private static Map<String, String> hiddenFields(String html) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) fields.putIfAbsent(m.group(1), unescape(m.group(2)));
    return fields;
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&#47;", "/")
        .replace("&#x2F;", "/").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static String form(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder();
    fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return sb.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
