package com.monei.connect.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.account.PasswordHasher;
import com.monei.connect.server.api.BearerAuth;
import com.monei.connect.server.api.ProfileRoutes;
import com.monei.connect.server.api.WalletRoutes;
import com.monei.connect.server.oauth.AuthorizeEndpoint;
import com.monei.connect.server.oauth.ClientAuthenticator;
import com.monei.connect.server.oauth.OAuthError;
import com.monei.connect.server.oauth.OAuthErrorWriter;
import com.monei.connect.server.oauth.OAuthException;
import com.monei.connect.server.oauth.TokenEndpoint;
import com.monei.connect.server.oauth.IntrospectionEndpoint;
import com.monei.connect.server.oauth.MetadataEndpoint;
import com.monei.connect.server.oauth.RevocationEndpoint;
import com.monei.connect.server.oauth.grant.AuthorizationCodeGrant;
import com.monei.connect.server.oauth.grant.RefreshTokenGrant;
import com.monei.connect.server.web.ConnectionsPage;
import com.monei.connect.server.storage.DatabaseUnavailableException;
import com.monei.connect.server.web.BrowserSessions;
import com.monei.connect.server.web.ConsentPage;
import com.monei.connect.server.web.DeveloperPortalPage;
import com.monei.connect.server.web.HomePage;
import com.monei.connect.server.web.LoginPage;
import com.monei.connect.server.web.LogoRoute;
import com.monei.connect.server.web.Pages;
import com.monei.connect.server.web.SecurityHeaders;
import com.monei.connect.server.web.StylesheetRoute;
import com.monei.connect.server.web.Views;
import com.monei.connect.server.web.WebInteraction;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP application: built first, started later, so tests can start it on port 0.
 */
public final class ServerApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerApp.class);
  private static final Logger ACCESS = LoggerFactory.getLogger("monei.access");

  private static final java.time.Duration HOUSEKEEPING_PERIOD = java.time.Duration.ofMinutes(5);

  private final Services services;
  private final Javalin javalin;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Pages pages = new Pages();
  /** Built once per method, route and status: building a meter on every request costs more than timing it. */
  private final java.util.concurrent.ConcurrentHashMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

  public ServerApp(Services services) {
    this.services = services;
    this.javalin = Javalin.create(this::configure);
  }

  /** Opens the database (running migrations) and builds the app; call {@link #start()} to listen. */
  public static ServerApp create(Config config, Clock clock) {
    // Loading the web stack's classes overlaps opening and migrating the database: on two cores,
    // start-up to healthy was about 0.1 s shorter (1.22 s against 1.33 s, five runs each).
    Thread warmUp = new Thread(ServerApp::loadWebStack, "warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
    Services services = new Services(config, clock);
    try {
      warmUp.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new ServerApp(services);
  }

  /**
   * Builds (and drops) what the app builds again: Jackson, the meter registry, jte, and a Javalin
   * started on a free loopback port that answers one request, so Jetty's server and request classes
   * are loaded too. The real server is started only when the database is ready.
   */
  private static void loadWebStack() {
    try {
      new ObjectMapper().writeValueAsString(Map.of("status", "ok"));
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
      new Pages();
      Javalin warm = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.routes.get("/", ctx -> ctx.json(Map.of("status", "ok")));
      });
      try {
        warm.start("127.0.0.1", 0);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", warm.port())) {
          socket.setSoTimeout(2_000);
          socket.getOutputStream().write(
              "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          socket.getInputStream().readAllBytes();
        }
      } finally {
        warm.stop();
      }
    } catch (Exception | LinkageError e) {
      // Only a head start; the real construction reports any problem.
    }
  }

  public ServerApp start() {
    javalin.start(services.config.port());
    services.housekeeping.start(HOUSEKEEPING_PERIOD);
    return this;
  }

  public int port() {
    return javalin.port();
  }

  public Services services() {
    return services;
  }

  @Override
  public void close() {
    javalin.stop();
    services.close();
  }

  /**
   * Javalin's default gzip, with JSON on the list of types it may compress without first scanning
   * its excluded types case-insensitively: that scan was 3 % of the CPU of a wallet read.
   */
  private static CompressionStrategy gzipFastPathForJson() {
    CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
    List<String> allowed = new ArrayList<>(gzip.getAllowedMimeTypes());
    allowed.add(ContentType.APPLICATION_JSON.getMimeType());
    gzip.setAllowedMimeTypes(allowed);
    return gzip;
  }

  private void configure(JavalinConfig config) {
    Config settings = services.config;
    config.startup.showJavalinBanner = false;
    config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
    config.http.maxRequestSize = 1_000_000L;
    config.http.prefer405over404 = true;
    config.http.compressionStrategy = gzipFastPathForJson();
    // Javalin copies every response body through a new array of this size (Jetty buffers the
    // output itself); its default, 32 KiB, was over half of all the memory a wallet read allocated.
    config.http.responseBufferSize = 4096;
    config.requestLogger.http(this::logRequest);
    DeveloperPortalPage.limitUploads(config.jetty.multipartConfig);

    BrowserSessions browserSessions = new BrowserSessions(services.sessions, settings.sessionCookie(),
        settings.secureCookies());
    WebInteraction interaction = new WebInteraction(browserSessions);
    AuthorizeEndpoint authorize = new AuthorizeEndpoint(services.apps, services.consents, services.codes,
        services.tokenStore, services.pending, interaction, services.db, services.audit, services.clock, settings);
    ConsentPage consentPage = new ConsentPage(services.pending, authorize, services.apps, services.consents,
        services.accounts,
        services.wallets, browserSessions, pages, services.clock);
    interaction.consentPage(consentPage);
    LoginPage login = new LoginPage(services.accounts, browserSessions, pages);
    HomePage home = new HomePage(services.accounts, browserSessions, pages);
    ClientAuthenticator clients = new ClientAuthenticator(services.apps, services.clock);
    TokenEndpoint token = new TokenEndpoint(clients, List.of(
        new AuthorizationCodeGrant(services.codes, services.tokens, services.db, services.audit, services.clock),
        new RefreshTokenGrant(services.tokens, services.db, services.audit, services.clock, settings)));
    RevocationEndpoint revoke = new RevocationEndpoint(clients, services.tokens, services.connections, services.audit);
    IntrospectionEndpoint introspect = new IntrospectionEndpoint(clients, services.tokens, services.clock);
    MetadataEndpoint metadata = new MetadataEndpoint(settings.issuer(), token.grantTypes());
    ConnectionsPage connectionsPage = new ConnectionsPage(services.connections, services.wallets, browserSessions, pages);
    BearerAuth bearer = new BearerAuth(services.tokens);
    WalletRoutes wallet = new WalletRoutes(bearer, services.wallets, services.sends);
    ProfileRoutes profile = new ProfileRoutes(bearer, services.accounts);
    LogoRoute logo = new LogoRoute(services.apps);
    DeveloperPortalPage developers = new DeveloperPortalPage(services.registration, browserSessions, pages);

    var routes = config.routes;
    routes.before(SecurityHeaders::apply);
    routes.get("/", home::show);
    routes.get("/login", login::show);
    routes.post("/login", login::submit);
    routes.post("/logout", login::logout);
    routes.get("/connect/authorize", authorize::handle);
    routes.post("/connect/consent", consentPage::submit);
    routes.get("/apps/{clientId}/logo", logo::handle);
    routes.get(StylesheetRoute.PATH, new StylesheetRoute()::handle);
    routes.post("/api/v1/connect/token", token::handle);
    routes.post("/api/v1/connect/revoke", revoke::handle);
    routes.post("/api/v1/connect/introspect", introspect::handle);
    routes.get("/.well-known/oauth-authorization-server", metadata::handle);
    routes.get("/account/connections", connectionsPage::show);
    routes.post("/account/connections/disconnect", connectionsPage::disconnect);
    routes.get("/developers/apps", developers::list);
    routes.post("/developers/apps", developers::register);
    routes.get("/developers/apps/{clientId}", developers::detail);
    routes.post("/developers/apps/{clientId}/redirect-uris", developers::changeRedirectUris);
    routes.post("/developers/apps/{clientId}/secret", developers::rotateSecret);
    routes.post("/developers/apps/{clientId}/delete", developers::delete);
    routes.get("/api/v1/wallet/me", wallet::me);
    routes.get("/api/v1/wallet/transactions", wallet::transactions);
    routes.post("/api/v1/wallet/send", wallet::send);
    routes.get("/api/v1/profile/me", profile::me);
    routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    routes.get("/readyz", this::ready);
    // Micrometer holds the state object weakly; the class stays reachable (and is not initialised by this).
    FunctionCounter.builder("monei.password.hashes", PasswordHasher.class, c -> PasswordHasher.hashes())
        .description("Argon2id hashes and verifications").register(metrics);
    FunctionCounter.builder("monei.password.hash.cpu", PasswordHasher.class, c -> PasswordHasher.cpuSeconds())
        .baseUnit("seconds").description("CPU time of Argon2id hashes and verifications").register(metrics);
    routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));

    routes.exception(OAuthException.class, new OAuthErrorWriter());
    // Javalin's own refusals (body too large, bad content) get the same shape as ours.
    routes.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, new OAuthError(
        e.getStatus() == 413 ? "invalid_request" : e.getStatus() >= 500 ? "server_error" : "invalid_request",
        e.getStatus() == 413 ? "The request body is too large." : "The request could not be processed.",
        e.getStatus(), false)));
    routes.exception(DatabaseUnavailableException.class, (e, ctx) -> {
      LOG.warn("database unavailable on {} {}", ctx.method(), ctx.path());
      ctx.header("Retry-After", "1");
      fail(ctx, OAuthError.TEMPORARILY_UNAVAILABLE);
    });
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
      fail(ctx, OAuthError.SERVER_ERROR);
    });
    routes.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint ")) {
        fail(ctx, OAuthError.NOT_FOUND);
      }
    });
    routes.error(405, ctx -> fail(ctx, OAuthError.METHOD_NOT_ALLOWED));
  }

  /** JSON for API clients, a page for browsers. */
  private void fail(Context ctx, OAuthError error) {
    if (ctx.path().startsWith("/api/") || ctx.path().startsWith("/.well-known/")) {
      OAuthErrorWriter.write(ctx, error, null, null);
    } else {
      pages.render(ctx, error.status(), "error.jte", new Views.Error("Something went wrong", error.description()));
    }
  }

  private void ready(Context ctx) {
    boolean up = services.db.isReachable();
    ctx.status(up ? 200 : 503).json(Map.of("status", up ? "ready" : "database unreachable"));
  }

  /** One line per request; the path only, since query strings carry codes and state. */
  private void logRequest(Context ctx, Float ms) {
    ACCESS.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms * 10) / 10.0);
    String route = ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
    String key = ctx.method().name() + " " + route + " " + ctx.statusCode();
    timers.computeIfAbsent(key, k -> Timer.builder("http_server_requests").tag("method", ctx.method().name())
            .tag("route", route).tag("status", String.valueOf(ctx.statusCode())).register(metrics))
        .record((long) (ms * 1000), TimeUnit.MICROSECONDS);
  }
}
