package com.monei.connect.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Drives the browser side of an authorization over real HTTP: sign-in, the consent form, and the
 * redirect back. One instance is one browser (its own cookies).
 */
public final class OAuthFlow {
  public final TestServer server;
  public final Http browser;
  private final String baseUrl;

  public OAuthFlow(TestServer server) {
    this(server, server.url(), new Http());
  }

  /** A browser against any Monei base URL (another process), optionally sharing cookies with another flow. */
  public OAuthFlow(String baseUrl, Http browser) {
    this(null, baseUrl, browser);
  }

  private OAuthFlow(TestServer server, String baseUrl, Http browser) {
    this.server = server;
    this.baseUrl = baseUrl;
    this.browser = browser;
  }

  /** The authorize URL with the given parameters, in order; null values are left out. */
  public String authorizeUrl(String... keyValues) {
    StringBuilder sb = new StringBuilder(baseUrl).append("/connect/authorize");
    char sep = '?';
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] == null) continue;
      sb.append(sep).append(Http.enc(keyValues[i])).append('=').append(Http.enc(keyValues[i + 1]));
      sep = '&';
    }
    return sb.toString();
  }

  public String authorizeUrl(TestServer.TestApp app, String scope, String state) {
    return authorizeUrl("client_id", app.clientId(), "redirect_uri", app.redirectUri(), "response_type", "code",
        "scope", scope, "state", state);
  }

  /** Signs this browser in through the login form. */
  public OAuthFlow signIn(User user) {
    return signIn(user.email(), TestServer.PASSWORD);
  }

  public OAuthFlow signIn(String email, String password) {
    HttpResponse<String> response = submitLogin(email, password, "/");
    assertThat(response.statusCode()).as("sign-in answer: %s", response.body()).isEqualTo(303);
    return this;
  }

  /** Loads the login form and submits it; returns the server's answer. */
  public HttpResponse<String> submitLogin(String email, String password, String returnTo) {
    HttpResponse<String> page = browser.get(baseUrl + "/login?return_to=" + Http.enc(returnTo));
    assertThat(page.statusCode()).isEqualTo(200);
    Document doc = Jsoup.parse(page.body());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", doc.selectFirst("input[name=csrf_token]").val());
    form.put("return_to", doc.selectFirst("input[name=return_to]").val());
    form.put("email", email);
    form.put("password", password);
    return browser.postForm(baseUrl + "/login", form);
  }

  /** The consent form as the server rendered it. */
  public record ConsentScreen(String requestId, String csrfToken, List<String> offeredScopes, Document page) {}

  /** Opens the authorize URL (signed in) and expects the consent screen. */
  public ConsentScreen openConsent(String authorizeUrl) {
    HttpResponse<String> response = browser.get(authorizeUrl);
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
    body.append("request_id=").append(Http.enc(screen.requestId()));
    body.append("&csrf_token=").append(Http.enc(screen.csrfToken()));
    for (String scope : ticked) body.append("&scope=").append(Http.enc(scope));
    if (decision != null) body.append("&decision=").append(Http.enc(decision));
    for (int i = 0; i + 1 < extraFields.length; i += 2)
      body.append('&').append(Http.enc(extraFields[i])).append('=').append(Http.enc(extraFields[i + 1]));
    return browser.postRawForm(baseUrl + "/connect/consent", body.toString());
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
}
