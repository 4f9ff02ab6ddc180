package com.monei.connect.server;

import com.monei.connect.server.account.PasswordHasher;
import com.monei.connect.server.http.ClientAddress;
import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each request's access-log line and timer, and GET /metrics in Prometheus' text format with the
 * Argon2id counters the benchmark reads.
 */
public final class RequestMetrics implements RequestLogger {
  private static final Logger ACCESS = LoggerFactory.getLogger("monei.access");

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

  /** One line per request, from the client IP; the path only, since query strings carry codes and state. */
  @Override
  public void handle(Context ctx, Float ms) {
    ACCESS.info("{} {} {} {} {}ms", ClientAddress.of(ctx).ip(), ctx.method(), ctx.path(), ctx.statusCode(),
        Math.round(ms * 10) / 10.0);
    String route = ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
    String key = ctx.method().name() + " " + route + " " + ctx.statusCode();
    timers.computeIfAbsent(key, k -> Timer.builder("http_server_requests").tag("method", ctx.method().name())
            .tag("route", route).tag("status", String.valueOf(ctx.statusCode())).register(registry))
        .record((long) (ms * 1000), TimeUnit.MICROSECONDS);
  }

  /** GET /metrics. */
  public void scrape(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4").result(registry.scrape());
  }
}
