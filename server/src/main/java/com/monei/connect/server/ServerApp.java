package com.monei.connect.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.api.BearerAuth;
import com.monei.connect.server.api.ProfileRoutes;
import com.monei.connect.server.api.WalletRoutes;
import com.monei.connect.server.http.ClientAddress;
import com.monei.connect.server.http.RequestEncoding;
import com.monei.connect.server.http.RequestId;
import com.monei.connect.server.oauth.AuthorizationCodeIssuer;
import com.monei.connect.server.oauth.AuthorizationRequestConverter;
import com.monei.connect.server.oauth.AuthorizationDetails;
import com.monei.connect.server.oauth.AuthorizeEndpoint;
import com.monei.connect.server.oauth.ClientAuthenticator;
import com.monei.connect.server.oauth.ConsentDecision;
import com.monei.connect.server.oauth.IntrospectionEndpoint;
import com.monei.connect.server.oauth.MetadataEndpoint;
import com.monei.connect.server.oauth.RevocationEndpoint;
import com.monei.connect.server.oauth.TokenEndpoint;
import com.monei.connect.server.oauth.grant.AuthorizationCodeGrant;
import com.monei.connect.server.oauth.grant.RefreshTokenGrant;
import com.monei.connect.server.web.BrowserSessions;
import com.monei.connect.server.web.ConfirmationPage;
import com.monei.connect.server.web.ConnectionErrorPages;
import com.monei.connect.server.web.ConnectionsPage;
import com.monei.connect.server.web.ConsentPage;
import com.monei.connect.server.web.DeveloperPortalPage;
import com.monei.connect.server.web.ErrorPages;
import com.monei.connect.server.web.HomePage;
import com.monei.connect.server.web.LoginPage;
import com.monei.connect.server.web.LoginVerifyPage;
import com.monei.connect.server.web.LogoRoute;
import com.monei.connect.server.web.Pages;
import com.monei.connect.server.web.PasskeyRoutes;
import com.monei.connect.server.web.SecurityHeaders;
import com.monei.connect.server.web.SecurityPage;
import com.monei.connect.server.web.StaticFileRoute;
import com.monei.connect.server.web.WebInteraction;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP application: built first, started later, so tests can start it on port 0.
 */
public final class ServerApp implements AutoCloseable {
  private static final java.time.Duration HOUSEKEEPING_PERIOD = java.time.Duration.ofMinutes(5);

  private final Services services;
  private final Javalin javalin;
  private final RequestMetrics metrics = new RequestMetrics();
  private final Pages pages = new Pages();

  public ServerApp(Services services) {
    this.services = services;
    this.javalin = Javalin.create(this::configure);
  }

  /** Opens the database (running migrations) and builds the app; call {@link #start()} to listen. */
  public static ServerApp create(Config config, Clock clock) {
    // Loading the web stack's classes overlaps opening and migrating the database, which shortens
    // start-up to healthy (README, Benchmarks).
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
   * its excluded types case-insensitively, a scan every API response would otherwise pay.
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
    // Javalin copies every response body through a new array of this size, and Jetty buffers the
    // output itself: its 32 KiB default was most of what a small JSON answer allocated.
    config.http.responseBufferSize = 4096;
    config.requestLogger.http(metrics);
    DeveloperPortalPage.limitUploads(config.jetty.multipartConfig);

    ErrorPages errors = new ErrorPages(pages);
    // Jetty's own answers (header too large, a request line it cannot parse) look and behave like ours.
    config.jetty.modifyServer(server -> server.setErrorHandler(new ConnectionErrorPages(errors)));
    BrowserSessions browserSessions = new BrowserSessions(services.sessions, settings.sessionCookie(),
        settings.secureCookies());
    AuthorizationCodeIssuer codes = new AuthorizationCodeIssuer(services.codes, services.clock, settings);
    ConsentDecision decision = new ConsentDecision(services.pending, services.consents, services.tokenStore, codes,
        services.db, services.audit, services.clock);
    ConsentPage consentPage = new ConsentPage(decision, services.apps, services.accounts, services.wallets,
        browserSessions, pages, errors);
    AuthorizeEndpoint authorize = new AuthorizeEndpoint(new AuthorizationRequestConverter(services.apps),
        services.consents, services.pending, codes, new WebInteraction(browserSessions, consentPage, errors),
        services.clock);
    LoginPage login = new LoginPage(services.accounts, services.loginVerifications, browserSessions, pages,
        services.apps);
    LoginVerifyPage loginVerify = new LoginVerifyPage(services.loginVerifications, browserSessions, pages);
    PasskeyRoutes passkeys = new PasskeyRoutes(services.passkeys, services.accounts, browserSessions, pages, errors);
    SecurityPage security = new SecurityPage(services.twoStep, passkeys, services.accounts, browserSessions, pages,
        errors);
    HomePage home = new HomePage(services.accounts, browserSessions, pages);
    ClientAuthenticator clients = new ClientAuthenticator(services.apps, services.clock);
    AuthorizationDetails details =
        new AuthorizationDetails(services.consents, services.wallets, services.confirmations);
    TokenEndpoint token = new TokenEndpoint(clients, details, List.of(
        new AuthorizationCodeGrant(services.codes, services.tokens, services.db, services.audit, services.clock),
        new RefreshTokenGrant(services.tokens, services.tokenStore, services.db, services.audit, services.clock,
            settings)));
    RevocationEndpoint revoke = new RevocationEndpoint(clients, services.tokens, services.connections, services.audit,
        services.db);
    IntrospectionEndpoint introspect = new IntrospectionEndpoint(clients, services.tokens, details,
        services.clock);
    MetadataEndpoint metadata = new MetadataEndpoint(settings.issuer(), token.grantTypes());
    ConnectionsPage connectionsPage = new ConnectionsPage(services.connections, services.wallets,
        services.confirmations, browserSessions, pages, errors);
    ConfirmationPage confirmationPage = new ConfirmationPage(services.confirmations, services.passkeys, services.apps,
        browserSessions, pages, errors);
    BearerAuth bearer = new BearerAuth(services.tokens);
    WalletRoutes wallet = new WalletRoutes(bearer, services.wallets, services.sends, settings.issuer());
    ProfileRoutes profile = new ProfileRoutes(bearer, services.accounts);
    LogoRoute logo = new LogoRoute(services.apps);
    DeveloperPortalPage developers = new DeveloperPortalPage(services.registration, services.secretReveals,
        browserSessions, pages, errors);

    var routes = config.routes;
    // First: every later handler, the request log included, reads the client's address from it.
    routes.before(ClientAddress.resolver(settings.trustedProxies(), settings.secureCookies()));
    routes.before(RequestId::assign);
    routes.before(SecurityHeaders::apply);
    routes.before(RequestEncoding::check);
    // Javalin tries a request's method's routes in this order, one regular expression each: the API
    // apps call many times a second comes first. No two routes here match the same path.
    routes.get("/api/v1/wallet/me", wallet::me);
    routes.get("/api/v1/wallet/transactions", wallet::transactions);
    routes.post("/api/v1/wallet/send", wallet::send);
    routes.get("/api/v1/wallet/limits", wallet::limits);
    routes.get("/api/v1/profile/me", profile::me);
    routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    routes.get("/readyz", this::ready);
    routes.post("/api/v1/connect/token", token::handle);
    routes.post("/api/v1/connect/revoke", revoke::handle);
    routes.post("/api/v1/connect/introspect", introspect::handle);
    routes.get("/", home::show);
    routes.get("/login", login::show);
    routes.post("/login", login::submit);
    routes.post("/logout", login::logout);
    routes.get("/login/verify", loginVerify::show);
    routes.post("/login/verify", loginVerify::submit);
    routes.post(PasskeyRoutes.SIGN_IN_OPTIONS, passkeys::signInOptions);
    routes.post(PasskeyRoutes.SIGN_IN, passkeys::signIn);
    routes.get("/connect/authorize", authorize::handle);
    routes.post("/connect/consent", consentPage::submit);
    routes.get(LogoRoute.PATH, logo::handle);
    routes.get(StaticFileRoute.STYLESHEET,
        new StaticFileRoute(StaticFileRoute.STYLESHEET, "text/css; charset=utf-8")::handle);
    routes.get(StaticFileRoute.COPY_SCRIPT,
        new StaticFileRoute(StaticFileRoute.COPY_SCRIPT, "text/javascript; charset=utf-8")::handle);
    routes.get(PasskeyRoutes.SCRIPT,
        new StaticFileRoute(PasskeyRoutes.SCRIPT, "text/javascript; charset=utf-8")::handle);
    routes.get("/.well-known/oauth-authorization-server", metadata::handle);
    routes.get("/account/connections", connectionsPage::show);
    routes.post("/account/connections/disconnect", connectionsPage::disconnect);
    routes.post("/account/connections/limits", connectionsPage::lowerLimit);
    routes.get("/confirm/{id}", confirmationPage::show);
    routes.post("/confirm/{id}", confirmationPage::decide);
    routes.post(ConfirmationPage.PASSKEY_OPTIONS, confirmationPage::passkeyOptions);
    routes.post(ConfirmationPage.PASSKEY, confirmationPage::decideWithPasskey);
    routes.get("/account/security", security::show);
    routes.post("/account/security/totp", security::startTotp);
    routes.post("/account/security/totp/confirm", security::confirmTotp);
    routes.post("/account/security/totp/disable", security::disableTotp);
    routes.post("/account/security/recovery-codes", security::newRecoveryCodes);
    routes.post(PasskeyRoutes.ADD_OPTIONS, passkeys::addOptions);
    routes.post(PasskeyRoutes.ADD, passkeys::add);
    routes.post(PasskeyRoutes.RENAME, passkeys::rename);
    routes.post(PasskeyRoutes.REMOVE, passkeys::remove);
    routes.get("/developers/apps", developers::list);
    routes.post("/developers/apps", developers::register);
    routes.get("/developers/apps/{clientId}", developers.forOwner(developers::detail));
    routes.post("/developers/apps/{clientId}/redirect-uris", developers.forOwner(developers::changeRedirectUris));
    routes.post("/developers/apps/{clientId}/secret", developers.forOwner(developers::rotateSecret));
    routes.get("/developers/apps/{clientId}/secret", developers.forOwner(developers::showSecret));
    routes.post("/developers/apps/{clientId}/revoke-previous-secret",
        developers.forOwner(developers::revokePreviousSecret));
    routes.post("/developers/apps/{clientId}/delete", developers.forOwner(developers::delete));
    // Without an operator's token there is no /metrics: it answers the 404 of any unknown path.
    if (settings.metricsToken() != null) routes.get("/metrics", metrics.scrapeWith(settings.metricsToken()));
    new ErrorResponses(errors).register(routes);
  }

  private void ready(Context ctx) {
    boolean up = services.db.isReachable();
    ctx.status(up ? 200 : 503).json(Map.of("status", up ? "ready" : "database unreachable"));
  }
}
