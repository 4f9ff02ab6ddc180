package com.monei.connect.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.Config;
import com.monei.connect.server.ServerApp;
import com.monei.connect.server.Services;
import com.monei.connect.server.app.AppRegistration;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.cli.MoneiCommand;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.MoneiTestClient.Grant;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.token.IssuedTokens;
import com.monei.connect.server.validation.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 1.2, 2 and 3: changing a password revokes every token family of the user and ends every
 * browser session of the user (but the one making the change, from a page). The domain call and
 * {@code users set-password} are tested against the test server's database; the command's output
 * also against a SQLite file that a second, in-process server serves, so its effect is seen over
 * HTTP.
 */
@WithTestServer
class PasswordChangeTest {
  private static final String NEW_PASSWORD = "a-brand-new-passphrase";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger COUNTER = new AtomicInteger();

  static TestServer server;
  static MoneiTestClient channel;

  @TempDir
  static Path dir;
  static String cliDb;
  static ServerApp cliServer;
  /** Client secrets of the apps registered on the CLI database, and which app each refresh token belongs to. */
  static final Map<String, String> appSecrets = new ConcurrentHashMap<>();
  static final Map<String, String> issuedBy = new ConcurrentHashMap<>();

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    channel = new MoneiTestClient(server);
    cliDb = "jdbc:sqlite:" + dir.resolve("cli.db");
    cliServer = ServerApp.create(Config.defaults(0).withDb(cliDb), Clock.systemUTC()).start();
  }

  @AfterAll
  static void stop() {
    if (cliServer != null) cliServer.close();
  }

  // ---- the domain call, on the test server

  @Test
  void changeWhenDoneThenEveryFamilyOfTheUserAcrossAppsIsRevoked() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    TestServer.TestApp shop = server.app().name("Shop").create();
    TestServer.TestApp bank = server.app().name("Bank").create();
    Grant shopGrant = flow.grant(shop, "profile:read");
    Grant shopSecondFamily = channel.redeem(shop, flow.rememberedCode(shop, "profile:read"));
    Grant bankGrant = flow.grant(bank, "profile:read wallet:read");
    // another user of the same app is not affected
    Grant bystander = new MoneiTestClient(server).signIn(server.user()).grant(shop, "profile:read");

    int revoked = server.services().passwordChange.change(user.email(), NEW_PASSWORD).revokedFamilies();

    assertThat(revoked).isEqualTo(3);
    for (Grant g : List.of(shopGrant, shopSecondFamily, bankGrant)) {
      assertThat(channel.refreshOutcome(g.app(), g.refresh())).as("refresh of %s", g.app().clientId())
          .isEqualTo("invalid_grant");
      assertThat(channel.profileStatus(g.access())).as("API call of %s", g.app().clientId()).isEqualTo(401);
    }
    assertThat(channel.profileStatus(bystander.access())).isEqualTo(200);
    assertThat(channel.refreshOutcome(shop, bystander.refresh())).isEqualTo("ok");
  }

  @Test
  void changeWhenDoneThenOldPasswordRefusedAndNewOneSignsIn() {
    User user = server.user();

    server.services().passwordChange.change(user.email(), NEW_PASSWORD);

    HttpResponse<String> old = new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/");
    assertThat(old.statusCode()).isEqualTo(401);
    HttpResponse<String> fresh = new MoneiTestClient(server).submitLogin(user.email(), NEW_PASSWORD, "/");
    assertThat(fresh.statusCode()).isEqualTo(303);
  }

  @Test
  void changeWhenEmailInOtherCaseThenChangesThatUser() {
    User user = server.user();

    server.services().passwordChange.change(user.email().toUpperCase(), NEW_PASSWORD);

    assertThat(new MoneiTestClient(server).submitLogin(user.email(), NEW_PASSWORD, "/").statusCode()).isEqualTo(303);
  }

  @Test
  void changeWhenNewPasswordTooShortThenRefusedAndNothingChanges() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    TestServer.TestApp app = server.app().create();
    Grant g = flow.grant(app, "profile:read");

    assertThatThrownBy(() -> server.services().passwordChange.change(user.email(), "short"))
        .isInstanceOf(ValidationException.class);

    assertThat(channel.profileStatus(g.access())).isEqualTo(200);
    assertThat(channel.refreshOutcome(app, g.refresh())).isEqualTo("ok");
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), "short", "/").statusCode()).isEqualTo(401);
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode())
        .isEqualTo(303);
  }

  @Test
  void changeWhenKeepingTheCallersSessionThenOnlyTheUsersOtherSessionsEnd() {
    User user = server.user();
    MoneiTestClient own = new MoneiTestClient(server).signIn(user);
    MoneiTestClient other = new MoneiTestClient(server).signIn(user);
    Session current = server.services().sessions.find(own.cookie(server.services().config.sessionCookie()))
        .orElseThrow();

    PasswordChange.Result result = server.services().passwordChange.change(user.email(), NEW_PASSWORD, current);

    assertThat(result.endedSessions()).isEqualTo(1);
    assertThat(own.signedIn()).isTrue();
    assertThat(other.signedIn()).isFalse();
  }

  // ---- users set-password on the test server's own database: its browser sessions

  @Test
  void setPasswordWhenRunThenEveryBrowserSessionOfTheUserEndsAtOnceWithItsTokens() {
    User user = server.user();
    MoneiTestClient stolen = new MoneiTestClient(server).signIn(user);
    MoneiTestClient laptop = new MoneiTestClient(server).signIn(user);
    MoneiTestClient bystander = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().create();
    Grant grant = stolen.grant(app, "profile:read");

    Run run = cliAt(serverDb(), NEW_PASSWORD + "\n", "users", "set-password", "--email", user.email(),
        "--password-stdin", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.json().get("ended_sessions").asInt()).isEqualTo(2);
    assertThat(run.json().get("revoked_token_families").asInt()).isEqualTo(1);
    assertThat(stolen.signedIn()).as("stolen session").isFalse();
    assertThat(laptop.signedIn()).as("user's other session").isFalse();
    // The stolen session cannot approve an app again: the authorization request asks for sign-in.
    HttpResponse<String> authorize = stolen.get(stolen.authorizeUrl(app, "wallet:send", "s1"));
    assertThat(authorize.statusCode()).isEqualTo(302);
    assertThat(authorize.headers().firstValue("Location").orElseThrow()).startsWith("/login");
    assertThat(channel.refreshOutcome(app, grant.refresh())).isEqualTo("invalid_grant");
    assertThat(channel.profileStatus(grant.access())).isEqualTo(401);
    assertThat(bystander.signedIn()).as("another user's session").isTrue();
    assertThat(passwordChangeAudit(user)).isEqualTo("1 token families revoked, 2 sessions ended");
    assertThat(stolen.signIn(user.email(), NEW_PASSWORD).signedIn()).isTrue();
  }

  @Test
  void setPasswordWhenRefusedThenSessionsStaySignedIn() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);

    Run run = cliAt(serverDb(), "short\n", "users", "set-password", "--email", user.email(), "--password-stdin",
        "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(browser.signedIn()).isTrue();
  }

  // ---- users set-password, on a SQLite file

  /** What one run of the command line printed and returned. */
  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON (exit " + exit + ", err " + err + "): " + out, e);
      }
    }
  }

  @Test
  void setPasswordWhenRunThenExitZeroJsonCountsFamiliesAndEveryTokenIsRevoked() {
    String email = cliUser();
    List<IssuedTokens> issued = List.of(issue(email, "CLI Shop"), issue(email, "CLI Bank"));

    Run run = cli(NEW_PASSWORD + "\n", "users", "set-password", "--email", email, "--password-stdin", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode out = run.json();
    assertThat(out.get("email").asText()).isEqualTo(email);
    assertThat(out.get("revoked_token_families").asInt()).isEqualTo(2);
    assertThat(run.out()).doesNotContain(NEW_PASSWORD);
    for (IssuedTokens t : issued) {
      assertThat(cliApiStatus(t.accessToken())).isEqualTo(401);
      assertThat(cliRefreshError(t)).isEqualTo("invalid_grant");
    }
    assertThat(cliLogin(email, TestServer.PASSWORD)).isEqualTo(401);
    assertThat(cliLogin(email, NEW_PASSWORD)).isEqualTo(303);
  }

  @Test
  void setPasswordWhenTooShortThenNonZeroExitAndNothingChanges() {
    String email = cliUser();
    IssuedTokens t = issue(email, "CLI Kept");

    Run run = cli("short\n", "users", "set-password", "--email", email, "--password-stdin", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).isNotBlank();
    assertThat(cliApiStatus(t.accessToken())).isEqualTo(200);
    assertThat(cliLogin(email, TestServer.PASSWORD)).isEqualTo(303);
  }

  @Test
  void setPasswordWhenEmailUnknownThenNonZeroExit() {
    Run run = cli(NEW_PASSWORD + "\n", "users", "set-password", "--email", "nobody-" + COUNTER.incrementAndGet()
        + "@monei.test", "--password-stdin", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).isNotBlank();
  }

  @Test
  void setPasswordWhenStdinEmptyThenNonZeroExitAndOldPasswordStillWorks() {
    String email = cliUser();

    Run run = cli("", "users", "set-password", "--email", email, "--password-stdin", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(cliLogin(email, TestServer.PASSWORD)).isEqualTo(303);
  }

  // ---- helpers for the CLI database

  private static Run cli(String stdin, String... args) {
    return cliAt(cliDb, stdin, args);
  }

  private static Run cliAt(String db, String stdin, String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--db";
    full[args.length + 1] = db;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = MoneiCommand.run(full, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The test server's database as the command's --db, credentials in the URL: it reads no test settings. */
  private static String serverDb() {
    Config config = server.services().config;
    if (config.dbUser() == null) return config.dbUrl();
    return config.dbUrl() + "?user=" + MoneiTestClient.enc(config.dbUser())
        + (config.dbPassword() == null ? "" : "&password=" + MoneiTestClient.enc(config.dbPassword()));
  }

  private static String passwordChangeAudit(User user) {
    return server.services().db.read("SELECT detail FROM audit_events WHERE user_id = ? AND event = ?",
        rs -> rs.next() ? rs.getString("detail") : null, user.id(), AuditLog.PASSWORD_CHANGED);
  }

  /** A user created through the CLI, with {@link TestServer#PASSWORD}. */
  private static String cliUser() {
    String email = "cli" + COUNTER.incrementAndGet() + "-" + System.nanoTime() + "@monei.test";
    Run run = cli(TestServer.PASSWORD + "\n", "users", "create", "--email", email, "--name", "CLI User",
        "--password-stdin", "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    return email;
  }

  /** Setup only: a new app and one token family for the user, as a code exchange would mint it. */
  private static IssuedTokens issue(String email, String appName) {
    Services services = cliServer.services();
    AppRegistration.Registered app = services.registration.register(appName,
        List.of("http://localhost:3000/monei/callback"), null, false, null);
    appSecrets.put(app.app().clientId(), app.clientSecret());
    String userId = services.accounts.findByEmail(email).orElseThrow().id();
    IssuedTokens tokens = services.db.inTransaction(() -> services.tokens.issueNewFamily(Ids.next("fam_"),
        app.app().clientId(), userId, Set.of("profile:read")));
    issuedBy.put(tokens.refreshToken(), app.app().clientId());
    assertThat(cliApiStatus(tokens.accessToken())).as("token works before").isEqualTo(200);
    return tokens;
  }

  private static String cliUrl() {
    return "http://localhost:" + cliServer.port();
  }

  private static int cliApiStatus(String accessToken) {
    return new MoneiTestClient().get(cliUrl() + "/api/v1/profile/me", "Authorization",
        "Bearer " + accessToken).statusCode();
  }

  private static String cliRefreshError(IssuedTokens t) {
    String clientId = issuedBy.get(t.refreshToken());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", t.refreshToken());
    form.put("client_id", clientId);
    form.put("client_secret", appSecrets.get(clientId));
    HttpResponse<String> response = new MoneiTestClient().postForm(cliUrl() + "/api/v1/connect/token", form);
    return response.statusCode() == 200 ? "ok" : MoneiTestClient.error(response);
  }

  /** Signs in through the CLI server's login form; returns the status of the POST. */
  private static int cliLogin(String email, String password) {
    MoneiTestClient browser = new MoneiTestClient();
    Document form = Jsoup.parse(browser.get(cliUrl() + "/login?return_to=%2F").body());
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("csrf_token", form.selectFirst("input[name=csrf_token]").val());
    fields.put("return_to", "/");
    fields.put("email", email);
    fields.put("password", password);
    return browser.postForm(cliUrl() + "/login", fields).statusCode();
  }
}
