package com.monei.connect.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The app's back-channel: the token endpoint and the API, over real HTTP. */
public final class TokenClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestServer server;
  private final Http http = new Http();

  public TokenClient(TestServer server) {
    this.server = server;
  }

  public String tokenUrl() {
    return server.url() + "/api/v1/connect/token";
  }

  /** Exchanges a code with client_secret_post in a form body. */
  public HttpResponse<String> exchange(TestServer.TestApp app, String code) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", app.redirectUri());
    form.put("client_id", app.clientId());
    if (app.clientSecret() != null) form.put("client_secret", app.clientSecret());
    return http.postForm(tokenUrl(), form);
  }

  public HttpResponse<String> postForm(Map<String, String> form, String... headers) {
    return http.postForm(tokenUrl(), form, headers);
  }

  public HttpResponse<String> postJson(String json, String... headers) {
    return http.postJson(tokenUrl(), json, headers);
  }

  public HttpResponse<String> post(String contentType, String body, String... headers) {
    return http.post(tokenUrl(), contentType, body, headers);
  }

  /** Exchanges and returns the access token, failing the test when the exchange fails. */
  public JsonNode exchangeOk(TestServer.TestApp app, String code) {
    HttpResponse<String> response = exchange(app, code);
    if (response.statusCode() != 200) throw new AssertionError("exchange failed: " + response.body());
    return json(response);
  }

  public HttpResponse<String> api(String path, String accessToken) {
    return accessToken == null ? http.get(server.url() + path)
        : http.get(server.url() + path, "Authorization", "Bearer " + accessToken);
  }

  public static String basic(String clientId, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON (status " + response.statusCode() + "): " + response.body(), e);
    }
  }
}
