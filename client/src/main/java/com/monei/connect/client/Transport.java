package com.monei.connect.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends requests with the app's {@link HttpClient}, retrying what is safe to retry; I/O failures
 * that remain become {@link UncheckedIOException}.
 *
 * <p>A retry sends the very same {@link HttpRequest}: the same headers (a send's Idempotency-Key
 * among them) and the same body bytes, so Monei answers it as the same request and never moves
 * money twice. Only failures where the server did not act are retried: no connection, {@code 429}
 * and {@code 503}. A request that timed out after it was sent is not retried, as the server may
 * have acted on it and the caller's timeout already bounds how long the call takes.
 */
final class Transport {
  static final String USER_AGENT = "monei-connect-java/0.1";
  /** Backoff doubles from this, with full jitter. */
  static final Duration BASE_DELAY = Duration.ofMillis(100);
  /** No backoff waits longer than this. */
  static final Duration MAX_DELAY = Duration.ofSeconds(2);
  /** A Retry-After longer than this is not waited for: the error goes to the app instead. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

  /** Waits between attempts; tests replace it so they do not sleep. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  private final HttpClient client;
  private final Duration timeout;
  private final int maxRetries;
  private final Sleeper sleeper;
  private final Clock clock;

  Transport(HttpClient client, Duration timeout) {
    this(client, timeout, 0, THREAD_SLEEP, Clock.systemUTC());
  }

  Transport(HttpClient client, Duration timeout, int maxRetries, Sleeper sleeper, Clock clock) {
    this.client = client;
    this.timeout = timeout;
    this.maxRetries = maxRetries;
    this.sleeper = sleeper;
    this.clock = clock;
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

  /** The response, after up to {@code maxRetries} retries; the last response or failure when they run out. */
  HttpResponse<String> send(HttpRequest request) {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (attempt >= maxRetries || !retryable(e))
          throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        pause(request, backoff(attempt));
        continue;
      } catch (InterruptedException e) {
        throw interrupted(request);
      }
      if (attempt >= maxRetries || !retryable(response.statusCode())) return response;
      Optional<Duration> retryAfter = retryAfter(response, clock.instant());
      if (retryAfter.isPresent() && retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0) return response;
      Duration backoff = backoff(attempt);
      pause(request, retryAfter.filter(d -> d.compareTo(backoff) > 0).orElse(backoff));
    }
  }

  private static boolean retryable(int status) {
    return status == 429 || status == 503;
  }

  private static boolean retryable(IOException e) {
    // HttpConnectTimeoutException is a HttpTimeoutException too, but nothing reached the server.
    return e instanceof HttpConnectTimeoutException || !(e instanceof HttpTimeoutException);
  }

  /** Exponential backoff with full jitter, so many clients failing together do not retry together. */
  static Duration backoff(int attempt) {
    long ceiling = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << Math.min(attempt, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }

  /** RFC 9110 §10.2.3: {@code Retry-After} is delay-seconds or an HTTP-date; empty when absent or malformed. */
  static Optional<Duration> retryAfter(HttpResponse<?> response, Instant now) {
    Optional<String> header = response.headers().firstValue("Retry-After").map(String::strip);
    if (header.isEmpty() || header.get().isEmpty()) return Optional.empty();
    String value = header.get();
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Digits beyond what fits are a delay far over any cap.
      return Optional.of(value.length() > 9 ? Duration.ofDays(365) : Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private void pause(HttpRequest request, Duration delay) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      throw interrupted(request);
    }
  }

  private static UncheckedIOException interrupted(HttpRequest request) {
    Thread.currentThread().interrupt();
    return new UncheckedIOException(new InterruptedIOException(request.method() + " " + request.uri()
        + " interrupted"));
  }
}
