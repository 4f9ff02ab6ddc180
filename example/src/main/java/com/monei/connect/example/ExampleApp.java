package com.monei.connect.example;

import com.monei.connect.client.MoneiConnect;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Your App": a small web app that connects its users' Monei wallets through the SDK, using only the
 * SDK's public API. It is a value you build first and start later:
 *
 * <pre>{@code
 * ExampleApp app = ExampleApp.create(ExampleConfig.of(3000, "http://localhost:8080", clientId, clientSecret,
 *     "http://localhost:3000/monei/callback")).start();
 * }</pre>
 *
 * <p>Pages: {@code /} (Connect Monei), {@code /connect-monei[?scope=…]}, {@code /monei/callback},
 * {@code /dashboard}, and the forms {@code POST /send}, {@code POST /send/finish} (a send the user
 * confirmed in Monei), {@code POST /send/cancel} and {@code POST /disconnect}.
 */
public final class ExampleApp implements AutoCloseable {
  private static final Logger ACCESS = LoggerFactory.getLogger("yourapp.access");
  private static final Logger LOG = LoggerFactory.getLogger(ExampleApp.class);
  static final String CSS_PATH = "/static/yourapp.css";
  private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'";

  private final ExampleConfig config;
  private final Javalin javalin;
  private final byte[] css;

  private ExampleApp(ExampleConfig config, MoneiConnect monei, Clock clock) {
    this.config = config;
    this.css = resource("yourapp.css");
    Sessions sessions = new Sessions(config.cookieName(), config.secureCookies(), clock);
    Pages pages = new Pages();
    ConnectRoutes connect = new ConnectRoutes(monei, sessions, pages);
    DashboardRoutes dashboard = new DashboardRoutes(monei, sessions, pages);
    this.javalin = Javalin.create(c -> configure(c, connect, dashboard, pages));
  }

  /** Builds the app (and its SDK client) without starting it. */
  public static ExampleApp create(ExampleConfig config) {
    MoneiConnect monei = MoneiConnect.builder()
        .issuer(config.issuer())
        .clientId(config.clientId())
        .clientSecret(config.clientSecret())
        .redirectUri(config.redirectUri())
        .build();   // tokens in memory: the default store, fine for a demo
    return new ExampleApp(config, monei, Clock.systemUTC());
  }

  /** Starts listening on the configured port. */
  public ExampleApp start() {
    javalin.start(config.port());
    return this;
  }

  /** The port it listens on (once started). */
  public int port() {
    return javalin.port();
  }

  /** Stops listening. */
  @Override
  public void close() {
    javalin.stop();
  }

  private void configure(JavalinConfig c, ConnectRoutes connect, DashboardRoutes dashboard, Pages pages) {
    c.startup.showJavalinBanner = false;
    c.http.maxRequestSize = 100_000L;
    c.requestLogger.http(ExampleApp::logRequest);
    var routes = c.routes;
    routes.before(ExampleApp::securityHeaders);
    routes.get("/", connect::home);
    routes.get("/connect-monei", connect::connect);
    routes.get(ExampleConfig.CALLBACK_PATH, connect::callback);
    routes.get("/dashboard", dashboard::show);
    routes.post("/send", dashboard::send);
    routes.post("/send/finish", dashboard::finishSend);
    routes.post("/send/cancel", dashboard::cancelSend);
    routes.post("/disconnect", dashboard::disconnect);
    routes.get(CSS_PATH, ctx -> ctx.header("Cache-Control", "max-age=3600").contentType("text/css; charset=utf-8")
        .result(css));
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
      pages.render(ctx, 500, "message.jte", new Views.Message("Something went wrong",
          "Your App could not finish that. Please try again.", "Back to Your App", "/"));
    });
    routes.error(404, ctx -> pages.render(ctx, 404, "message.jte",
        new Views.Message("Not found", "There is no such page in Your App.", "Back to Your App", "/")));
  }

  /** Nothing framed, nothing from other origins, and no Referer carrying the callback's code or state. */
  private static void securityHeaders(Context ctx) {
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Content-Type-Options", "nosniff");
  }

  /** One line per request; the path only, since the callback's query carries a code and state. */
  private static void logRequest(Context ctx, Float ms) {
    ACCESS.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), String.format("%.1f", ms));
  }

  private static byte[] resource(String name) {
    try (InputStream in = ExampleApp.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
