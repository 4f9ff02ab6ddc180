package com.monei.connect.server;

import com.monei.connect.server.account.PasswordHasher;
import com.monei.connect.server.api.ApiError;
import com.monei.connect.server.http.ClientAddress;
import com.monei.connect.server.http.JsonErrorWriter;
import com.monei.connect.server.http.RequestId;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.RequestLogger;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each request's access-log line and timer, and GET /metrics in Prometheus' text format with the
 * Argon2id counters the benchmark reads. The metrics show sign-in failures and token errors by route,
 * so only the holder of the operator's metrics token may read them.
 */
public final class RequestMetrics implements RequestLogger {
  private static final Logger ACCESS = LoggerFactory.getLogger("monei.access");
  private static final String BEARER = "Bearer ";
  private static final ApiError METRICS_UNAUTHORIZED =
      ApiError.UNAUTHORIZED.withDescription("The metrics need the operator's token: Authorization: Bearer ...");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** Built once per method, route and status: building a meter on every request costs more than timing it. */
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  public RequestMetrics() {
    // Micrometer holds the state object weakly; the class stays reachable (and is not initialised by this).
    FunctionCounter.builder("monei.password.hashes", PasswordHasher.class, c -> PasswordHasher.hashes())
        .description("Argon2id hashes and verifications").register(registry);
    FunctionCounter.builder("monei.password.hash.cpu", PasswordHasher.class, c -> PasswordHasher.cpuSeconds())
        .baseUnit("seconds").description("CPU time of Argon2id hashes and verifications").register(registry);
  }

  /**
   * One line per request, from the client IP, ending with its {@code Request-Id}; the path only, since
   * query strings carry codes and state.
   */
  @Override
  public void handle(Context ctx, Float ms) {
    ACCESS.info("{} {} {} {} {}ms {}", ClientAddress.of(ctx).ip(), ctx.method(), ctx.path(), ctx.statusCode(),
        Math.round(ms * 10) / 10.0, RequestId.of(ctx));
    String route = ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
    String key = ctx.method().name() + " " + route + " " + ctx.statusCode();
    timers.computeIfAbsent(key, k -> Timer.builder("http_server_requests").tag("method", ctx.method().name())
            .tag("route", route).tag("status", String.valueOf(ctx.statusCode())).register(registry))
        .record((long) (ms * 1000), TimeUnit.MICROSECONDS);
  }

  /**
   * GET /metrics for a request with {@code Authorization: Bearer <token>}; any other request gets
   * a 401 with a Bearer challenge and the JSON error shape. The caller registers no route at all
   * when there is no token, so /metrics is then as unknown as any other path.
   */
  public Handler scrapeWith(String token) {
    byte[] expected = sha256(token);
    return ctx -> {
      String header = ctx.header("Authorization");
      if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        JsonErrorWriter.write(ctx, METRICS_UNAUTHORIZED, "Bearer");
        return;
      }
      // Digests of equal length, compared in constant time: neither the token nor its length leaks.
      if (!MessageDigest.isEqual(expected, sha256(header.substring(BEARER.length()).strip()))) {
        JsonErrorWriter.write(ctx, ApiError.INVALID_TOKEN.withDescription("The metrics token is not valid."),
            "Bearer error=\"invalid_token\"");
        return;
      }
      ctx.contentType("text/plain; version=0.0.4").result(registry.scrape());
    };
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
