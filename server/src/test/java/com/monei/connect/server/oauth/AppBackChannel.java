package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.support.Http;
import com.monei.connect.server.support.OAuthFlow;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.TokenClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An app's server-to-server calls for token management over real HTTP (refresh, revoke, introspect,
 * an API call), and the fixtures that give it tokens: one authorization, one token family.
 */
public final class AppBackChannel {
  /** The PKCE verifier every public-app grant here uses, and its S256 challenge. */
  public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  public static final String CHALLENGE = s256(VERIFIER);

  private final TestServer server;
  private final Http http = new Http();
  private final TokenClient tokens;

  public AppBackChannel(TestServer server) {
    this.server = server;
    this.tokens = new TokenClient(server);
  }

  /** One token family: the app and the first access and refresh token issued from one code. */
  public record Grant(TestServer.TestApp app, String access, String refresh) {}

  public String revokeUrl() {
    return server.url() + "/api/v1/connect/revoke";
  }

  public String introspectUrl() {
    return server.url() + "/api/v1/connect/introspect";
  }

  /** Approves {@code scope} (all of it) in {@code flow}'s browser, signed in already, and redeems the code. */
  public Grant grant(OAuthFlow flow, TestServer.TestApp app, String scope) {
    String code = flow.approve(app, scope, List.of(scope.split(" ")));
    return redeem(app, code);
  }

  /** A public app's grant: PKCE on the authorize request and the verifier at the token endpoint. */
  public Grant grantPublic(OAuthFlow flow, TestServer.TestApp app, String scope) {
    String code = flow.approve(app, scope, List.of(scope.split(" ")), "code_challenge", CHALLENGE,
        "code_challenge_method", "S256");
    return redeem(app, code);
  }

  /** A second authorization for an app the user already approved: consent is remembered, so 302 with a code. */
  public String rememberedCode(OAuthFlow flow, TestServer.TestApp app, String scope) {
    HttpResponse<String> response = flow.browser.get(flow.authorizeUrl(app, scope, "again-" + System.nanoTime()));
    assertThat(response.statusCode()).as("remembered consent answers at once: %s", response.body()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(app.redirectUri() + "?");
    String code = OAuthFlow.query(response).get("code");
    assertThat(code).as("code in %s", response.headers().firstValue("Location")).isNotNull();
    return code;
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
    HttpResponse<String> response = tokens.postForm(form);
    assertThat(response.statusCode()).as("exchange: %s", response.body()).isEqualTo(200);
    JsonNode body = TokenClient.json(response);
    return new Grant(app, body.get("access_token").asText(), body.get("refresh_token").asText());
  }

  /** grant_type=refresh_token with the app's own credentials. */
  public HttpResponse<String> refresh(TestServer.TestApp app, String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", app.clientId());
    if (app.clientSecret() != null) form.put("client_secret", app.clientSecret());
    return tokens.postForm(form);
  }

  /** The OAuth error code of a refresh, or "ok" when it succeeded. */
  public String refreshOutcome(TestServer.TestApp app, String refreshToken) {
    HttpResponse<String> response = refresh(app, refreshToken);
    return response.statusCode() == 200 ? "ok" : TokenClient.json(response).get("error").asText();
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
      return http.postForm(revokeUrl(), form);
    }
    return http.postForm(revokeUrl(), form, "Authorization", TokenClient.basic(app.clientId(), app.clientSecret()));
  }

  /** A revocation request with any form body and headers, for the negative cases. */
  public HttpResponse<String> revokeRaw(String contentType, String body, String... headers) {
    return http.post(revokeUrl(), contentType, body, headers);
  }

  /** Introspects as {@code caller} (HTTP Basic). */
  public HttpResponse<String> introspect(TestServer.TestApp caller, String token) {
    return http.postForm(introspectUrl(), Map.of("token", token),
        "Authorization", TokenClient.basic(caller.clientId(), caller.clientSecret()));
  }

  public HttpResponse<String> introspectRaw(String contentType, String body, String... headers) {
    return http.post(introspectUrl(), contentType, body, headers);
  }

  /** GET /api/v1/profile/me with the token: 200 while it works, 401 once it is revoked or expired. */
  public int profileStatus(String accessToken) {
    return tokens.api("/api/v1/profile/me", accessToken).statusCode();
  }

  public static String error(HttpResponse<String> response) {
    JsonNode error = TokenClient.json(response).get("error");
    return error == null ? null : error.asText();
  }

  public static String form(Map<String, String> fields) {
    return Http.form(fields);
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
