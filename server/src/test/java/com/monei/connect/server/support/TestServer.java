package com.monei.connect.server.support;

import com.monei.connect.server.Config;
import com.monei.connect.server.ServerApp;
import com.monei.connect.server.Services;
import com.monei.connect.server.account.User;
import com.monei.connect.server.app.AppRegistration;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The real server on a free port over a fresh database, with fixture builders whose defaults each
 * test adjusts. Close it to stop the server and drop the database.
 */
public final class TestServer implements AutoCloseable {
  public static final String PASSWORD = "correct-horse-battery";

  public final MutableClock clock = MutableClock.startingNow();
  private final TestDatabases.Handle database;
  private final ServerApp app;
  private int counter;

  private TestServer(UnaryOperator<Config> customize) {
    this.database = TestDatabases.create();
    // A known port, so the default issuer (http://localhost:<port>) is the real address.
    Config config = customize.apply(Config.defaults(freePort()).withDb(database.url())
        .withDbCredentials(database.user(), database.password()));
    try {
      this.app = ServerApp.create(config, clock);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    app.start();
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TestServer start() {
    return new TestServer(c -> c);
  }

  /** Starts with adjusted settings, e.g. {@code c -> c.withCodeTtl(Duration.ofSeconds(5))}. */
  public static TestServer start(UnaryOperator<Config> customize) {
    return new TestServer(customize);
  }

  public int port() {
    return app.port();
  }

  public String url() {
    return "http://localhost:" + app.port();
  }

  /** The issuer the server puts in redirects ({@code iss}); the default names the configured port. */
  public String issuer() {
    return app.services().config.issuer();
  }

  public Services services() {
    return app.services();
  }

  public void advance(Duration d) {
    clock.advance(d);
  }

  /** A new user with a unique email and {@link #PASSWORD}. */
  public synchronized User user() {
    return user("user" + (++counter) + "@monei.test");
  }

  public User user(String email) {
    return services().accounts.create(email, "Test User " + email.substring(0, email.indexOf('@')), PASSWORD);
  }

  public void credit(User user, String currency, String amount) {
    services().wallets.credit(user.id(), currency, amount);
  }

  public AppBuilder app() {
    return new AppBuilder();
  }

  /** A registered app as a test sees it. */
  public record TestApp(String clientId, String clientSecret, List<String> redirectUris) {
    public String redirectUri() {
      return redirectUris.get(0);
    }
  }

  /** Defaults: a confidential app named "Test App" with one localhost redirect URI. */
  public final class AppBuilder {
    private String name = "Test App";
    private List<String> redirectUris = List.of("http://localhost:3000/monei/callback");
    private boolean isPublic;
    private boolean resourceServer;
    private byte[] logo;

    public AppBuilder name(String value) {
      name = value;
      return this;
    }

    public AppBuilder redirectUris(String... values) {
      redirectUris = List.of(values);
      return this;
    }

    public AppBuilder publicClient() {
      isPublic = true;
      return this;
    }

    /** May introspect other apps' access tokens (SPEC 1.5). */
    public AppBuilder resourceServer() {
      resourceServer = true;
      return this;
    }

    public AppBuilder logo(byte[] value) {
      logo = value;
      return this;
    }

    public TestApp create() {
      AppRegistration.Registered r = services().registration.register(name, redirectUris, logo, isPublic, null,
          resourceServer);
      return new TestApp(r.app().clientId(), r.clientSecret(), r.app().redirectUris());
    }
  }

  @Override
  public void close() {
    try {
      app.close();
    } finally {
      database.close();
    }
  }
}
