package com.monei.connect.server.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.Config;
import com.monei.connect.server.Services;
import com.monei.connect.server.account.User;
import com.monei.connect.server.app.AppRegistration;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.ServerProcess;
import com.monei.connect.server.support.TestDatabases;
import com.monei.connect.server.support.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two `serve` processes on one PostgreSQL (SPEC section 4): nothing a request depends on lives in a
 * process, so any process can continue what another started. Runs in the PostgreSQL pass.
 */
class MultiProcessTest {
  static TestDatabases.Handle database;
  static Services setup;
  static ServerProcess a;
  static ServerProcess b;
  static AppRegistration.Registered app;
  static final String CALLBACK = "http://localhost:3000/monei/callback";
  static final MoneiTestClient http = new MoneiTestClient();

  @BeforeAll
  static void start() {
    assumeTrue(TestDatabases.onPostgres(), "multi-process tests need the shared PostgreSQL");
    database = TestDatabases.create();
    setup = new Services(Config.defaults(0).withDb(database.url())
        .withDbCredentials(database.user(), database.password()), Clock.systemUTC());
    app = setup.registration.register("Two Process App", List.of(CALLBACK), null, false, null);
    a = ServerProcess.start(database.url(), database.user(), Map.of());
    b = ServerProcess.start(database.url(), database.user(), Map.of());
  }

  @AfterAll
  static void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (setup != null) setup.close();
    if (database != null) database.close();
  }

  private static User user() {
    User user = setup.accounts.create("mp-" + UUID.randomUUID() + "@monei.test", "Multi Process", TestServer.PASSWORD);
    setup.wallets.credit(user.id(), "NGN", "1000.00");
    return user;
  }

  /** Signs in at A, continues the authorization at B with the same cookies, returns the code. */
  private static String codeSignedInAtAApprovedAtB(User user, String scope) {
    MoneiTestClient browser = new MoneiTestClient();
    browser.sameBrowserAt(a.url()).signIn(user.email(), TestServer.PASSWORD);
    MoneiTestClient atB = browser.sameBrowserAt(b.url());
    var screen = atB.openConsent(atB.authorizeUrl("client_id", app.app().clientId(), "redirect_uri", CALLBACK,
        "scope", scope, "state", "mp"));
    HttpResponse<String> redirect = atB.submitConsent(screen, "allow", List.of(scope.split(" ")),
        "send_limit", "100000.00", "send_limit_currency", "NGN");
    assertThat(redirect.statusCode()).isEqualTo(303);
    return MoneiTestClient.query(redirect).get("code");
  }

  private static HttpResponse<String> token(ServerProcess at, Map<String, String> form) {
    return http.postForm(at.url() + "/api/v1/connect/token", form,
        "Authorization", MoneiTestClient.basic(app.app().clientId(), app.clientSecret()));
  }

  private static JsonNode exchange(ServerProcess at, String code) {
    HttpResponse<String> r = token(at, Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return MoneiTestClient.json(r);
  }

  private static int api(ServerProcess at, String path, String access) {
    return http.get(at.url() + path, "Authorization", "Bearer " + access).statusCode();
  }

  @Test
  void codeWhenIssuedThroughOneProcessThenRedeemedAtTheOther() {
    String code = codeSignedInAtAApprovedAtB(user(), "profile:read wallet:read");
    JsonNode tokens = exchange(a, code);
    assertThat(api(b, "/api/v1/wallet/me", tokens.get("access_token").asText())).isEqualTo(200);
    assertThat(token(b, Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK)).statusCode())
        .as("the code is single-use across processes").isEqualTo(400);
    assertThat(api(a, "/api/v1/profile/me", tokens.get("access_token").asText()))
        .as("replay at B revoked the family for A too").isEqualTo(401);
  }

  @Test
  void revokeWhenDoneAtOneProcessThenTheOtherRefusesTheVeryNextCall() {
    JsonNode tokens = exchange(b, codeSignedInAtAApprovedAtB(user(), "profile:read"));
    String access = tokens.get("access_token").asText();
    assertThat(api(b, "/api/v1/profile/me", access)).isEqualTo(200);
    HttpResponse<String> revoke = http.postForm(a.url() + "/api/v1/connect/revoke",
        Map.of("token", tokens.get("refresh_token").asText()),
        "Authorization", MoneiTestClient.basic(app.app().clientId(), app.clientSecret()));
    assertThat(revoke.statusCode()).isEqualTo(200);
    assertThat(api(b, "/api/v1/profile/me", access)).isEqualTo(401);
  }

  @Test
  void refreshWhenRacedAcrossBothProcessesInsideGraceThenOneSuccessorAndFamilyAlive() throws Exception {
    JsonNode tokens = exchange(a, codeSignedInAtAApprovedAtB(user(), "profile:read"));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", tokens.get("refresh_token").asText());
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        ServerProcess at = i % 2 == 0 ? a : b;
        futures.add(pool.submit(() -> token(at, form)));
      }
      Set<String> pairs = new HashSet<>();
      for (Future<HttpResponse<String>> f : futures) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = MoneiTestClient.json(r);
        pairs.add(body.get("access_token").asText() + " " + body.get("refresh_token").asText());
      }
      assertThat(pairs).hasSize(1);
      String[] pair = pairs.iterator().next().split(" ");
      assertThat(api(a, "/api/v1/profile/me", pair[0])).isEqualTo(200);
      assertThat(api(b, "/api/v1/profile/me", pair[0])).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loginWhenFiftyWrongGuessesInParallelThroughBothProcessesThenAtMostFiveAreAnsweredWithout429()
      throws Exception {
    User victim = user();
    MoneiTestClient attacker = new MoneiTestClient();
    String csrfA = attacker.sameBrowserAt(a.url()).loginCsrf();
    String csrfB = attacker.sameBrowserAt(b.url()).loginCsrf();
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        boolean atA = i % 2 == 0;
        String guess = "guess-" + i;
        futures.add(pool.submit(() -> attacker.postLogin(atA ? a.url() : b.url(), victim.email(), guess,
            atA ? csrfA : csrfB, "/").statusCode()));
      }
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (Future<Integer> f : futures) statuses.merge(f.get(), 1, Integer::sum);
      assertThat(statuses).as("status -> answers").isEqualTo(Map.of(401, 5, 429, 45));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sendWhenConcurrentThroughBothProcessesThenLedgerInvariantsHold() throws Exception {
    List<User> users = List.of(user(), user(), user());
    List<String> tokens = new ArrayList<>();
    for (User u : users) {
      tokens.add(exchange(a, codeSignedInAtAApprovedAtB(u, "wallet:read wallet:send")).get("access_token").asText());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int from = i % 3;
      int to = (i + 1 + i / 3 % 2) % 3;
      ServerProcess at = i % 2 == 0 ? a : b;
      String amount = (i % 7 + 1) * 37 + ".00";
      futures.add(pool.submit(() -> http.postJson(at.url() + "/api/v1/wallet/send",
          "{\"to\":\"" + users.get(to).email() + "\",\"amount\":\"" + amount + "\",\"currency\":\"NGN\"}",
          "Authorization", "Bearer " + tokens.get(from), "Idempotency-Key", UUID.randomUUID().toString()).statusCode()));
    }
    int completed = 0;
    for (Future<Integer> f : futures) {
      int status = f.get();
      assertThat(status).isIn(201, 422);
      if (status == 201) completed++;
    }
    pool.shutdownNow();
    long total = 0;
    for (User u : users) {
      long balance = setup.wallets.walletOf(u.id()).balances().get(0).availableMinor();
      assertThat(balance).isNotNegative();
      total += balance;
    }
    assertThat(total).isEqualTo(300_000L);
    List<String> ids = users.stream().map(User::id).toList();
    long sends = setup.db.read("SELECT COUNT(*) AS n FROM ledger_transactions WHERE kind = 'send' AND initiated_by IN ("
        + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")",
        rs -> rs.next() ? rs.getLong("n") : 0L, ids.toArray());
    assertThat(sends).isEqualTo(completed);
    long postingSum = setup.db.read(
        "SELECT COALESCE(SUM(amount_minor), 0) AS total FROM postings WHERE currency = 'NGN'",
        rs -> rs.next() ? rs.getLong("total") : 0L);
    assertThat(postingSum).isZero();
  }

  @Test
  void secretPageWhenRegisteredAtOneProcessThenShownOnceAtTheOtherAndOnceOnlyWhenBothRace() throws Exception {
    MoneiTestClient browser = new MoneiTestClient();
    MoneiTestClient atA = browser.sameBrowserAt(a.url()).signIn(user().email(), TestServer.PASSWORD);
    MoneiTestClient atB = browser.sameBrowserAt(b.url());

    String page = registerThroughPortal(atA, "Two Process Shop");
    assertThat(atB.get(page).body()).as("opened at the other process").containsPattern("mcs_[0-9A-Za-z]{49}");
    assertThat(atA.get(page).body()).as("and never again").doesNotContain("mcs_");

    String raced = registerThroughPortal(atA, "Raced Shop");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<HttpResponse<String>> atOne = pool.submit(() -> atA.get(raced));
      Future<HttpResponse<String>> atOther = pool.submit(() -> atB.get(raced));
      long shown = List.of(atOne.get(), atOther.get()).stream().filter(r -> r.body().contains("mcs_")).count();
      assertThat(shown).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Registers a confidential app in the portal; returns the secret page the POST redirected to. */
  private static String registerThroughPortal(MoneiTestClient browser, String name) {
    HttpResponse<String> answer = browser.postMultipart(MoneiTestClient.PORTAL_APPS, new MoneiTestClient.Multipart()
        .field("csrf_token", browser.portalCsrf()).field("name", name).field("redirect_uris", CALLBACK)
        .field("type", "confidential").emptyLogo());
    assertThat(answer.statusCode()).isEqualTo(303);
    return answer.headers().firstValue("Location").orElseThrow();
  }
}
