package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.Config;
import com.monei.connect.server.ErrorResponses;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.account.SessionStore;
import com.monei.connect.server.account.Sessions;
import com.monei.connect.server.app.AppRegistration;
import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.SecretRevealStore;
import com.monei.connect.server.app.SecretReveals;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.ServerKeyStore;
import com.monei.connect.server.token.TokenStore;
import com.monei.connect.server.transaction.Transactions;
import io.javalin.Javalin;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Only a {@code ValidationException} reaches a page as a message: an IllegalArgumentException from
 * deeper down (here, a store) is a fault, answered with the generic 500 page and its text kept out.
 */
class ValidationMessagesTest {
  private static final String COOKIE = "monei_session";
  private static final String SESSION_ID = "S".repeat(43);
  private static final String USER_ID = "usr_validation";
  private static final String INTERNAL = "column 7 is not a blob (internal detail)";

  static Javalin app;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    Clock clock = Clock.systemUTC();
    AuditLog audit = (event, userId, clientId, ip, detail) -> { };
    AppRegistration registration = new AppRegistration(faultyApps(), unused(TokenStore.class), directly(), audit, clock,
        Duration.ZERO);
    BrowserSessions sessions = new BrowserSessions(new Sessions(signedInStore(), clock, Config.DEFAULT_SESSION_IDLE),
        COOKIE, false);
    Pages pages = new Pages();
    ErrorPages errors = new ErrorPages(pages);
    SecretReveals reveals = new SecretReveals(unused(SecretRevealStore.class), unused(ServerKeyStore.class), clock);
    DeveloperPortalPage portal = new DeveloperPortalPage(registration, reveals, sessions, pages, errors);
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.post("/developers/apps", portal::register);
      config.routes.get("/api/v1/fault", ctx -> {
        throw new IllegalArgumentException(INTERNAL);
      });
      new ErrorResponses(errors).register(config.routes);
    }).start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  @Test
  void registerWhenRedirectUriInvalidThenItsValidationMessageShownWith400() throws Exception {
    HttpResponse<String> page = register("ftp://app.example/callback");

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("Redirect URI must use https (http only for localhost)");
  }

  @Test
  void registerWhenStoreThrowsIllegalArgumentThenGeneric500PageWithoutItsText() throws Exception {
    HttpResponse<String> page = register("https://app.example/callback");

    assertThat(page.statusCode()).isEqualTo(500);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("Something went wrong", "The server met an unexpected condition.");
    assertThat(page.body()).doesNotContain(INTERNAL, "column 7");
  }

  @Test
  void apiWhenHandlerThrowsIllegalArgumentThenServerErrorJsonWithoutItsText() throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(url("/api/v1/fault")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.body()).contains("\"error\":\"server_error\"").doesNotContain(INTERNAL);
  }

  private static HttpResponse<String> register(String redirectUri) throws Exception {
    String form = "name=Shop&type=confidential&redirect_uris=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8)
        + "&" + Csrf.FIELD + "=" + Csrf.token(new Session(SESSION_ID, USER_ID, null), "developers");
    return HTTP.send(HttpRequest.newBuilder(url("/developers/apps"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", COOKIE + "=" + SESSION_ID)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI url(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  /** One signed-in session, whatever the time. */
  private static SessionStore signedInStore() {
    return new SessionStore() {
      @Override
      public void replace(String oldIdHash, String idHash, String userId, Instant now, Instant expiresAt) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<Stored> find(String idHash, Instant now) {
        return idHash.equals(Hashes.sha256(SESSION_ID))
            ? Optional.of(new Stored(USER_ID, now, now.plus(Sessions.LIFETIME))) : Optional.empty();
      }

      @Override
      public void extend(String idHash, Instant expiresAt) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void delete(String idHash) {
        throw new UnsupportedOperationException();
      }

      @Override
      public int deleteAllOfUser(String userId, String keepIdHash) {
        throw new UnsupportedOperationException();
      }
    };
  }

  /** Runs the work at once: the only store it touches is the faulty one. */
  private static Transactions directly() {
    return new Transactions() {
      @Override
      public <T> T inTransaction(Supplier<T> work) {
        return work.get();
      }

      @Override
      public <T> T inRowLockingTransaction(Supplier<T> work) {
        return work.get();
      }
    };
  }

  /** A collaborator these tests never reach. */
  private static <T> T unused(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      throw new UnsupportedOperationException(method.getName());
    }));
  }

  /** A store that lists no apps and fails to create one with an IllegalArgumentException of its own. */
  private static AppStore faultyApps() {
    return (AppStore) Proxy.newProxyInstance(AppStore.class.getClassLoader(), new Class<?>[] {AppStore.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "ownedBy" -> List.of();
          case "create" -> throw new IllegalArgumentException(INTERNAL);
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
