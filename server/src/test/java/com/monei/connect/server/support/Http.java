package com.monei.connect.server.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A real HTTP client that never follows redirects (tests look at each one) and keeps cookies like a
 * browser would, so one instance is one browser.
 */
public final class Http {
  private final HttpClient client;

  public Http() {
    this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public HttpResponse<String> get(String url, String... headers) {
    return send(builder(url, headers).GET().build());
  }

  public HttpResponse<String> postForm(String url, Map<String, String> form, String... headers) {
    return send(builder(url, headers).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
  }

  /** A form body written by hand, for repeated fields and other shapes a map cannot express. */
  public HttpResponse<String> postRawForm(String url, String body, String... headers) {
    return send(builder(url, headers).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public HttpResponse<String> postJson(String url, String json, String... headers) {
    return send(builder(url, headers).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public HttpResponse<String> post(String url, String contentType, String body, String... headers) {
    HttpRequest.Builder b = builder(url, headers);
    if (contentType != null) b.header("Content-Type", contentType);
    return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public static String form(Map<String, String> form) {
    StringJoiner joiner = new StringJoiner("&");
    form.forEach((k, v) -> joiner.add(enc(k) + "=" + enc(v)));
    return joiner.toString();
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static HttpRequest.Builder builder(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return b;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("HTTP request failed: " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
