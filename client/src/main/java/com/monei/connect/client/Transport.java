package com.monei.connect.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sends requests with the app's {@link HttpClient}; I/O failures become {@link UncheckedIOException}. */
final class Transport {
  static final String USER_AGENT = "monei-connect-java/0.1";

  private final HttpClient client;
  private final Duration timeout;

  Transport(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  static HttpClient defaultClient() {
    // Never follow redirects: a token or API request that is redirected would carry credentials elsewhere.
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
        .header("User-Agent", USER_AGENT);
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException(request.method() + " " + request.uri()
          + " interrupted"));
    }
  }
}
