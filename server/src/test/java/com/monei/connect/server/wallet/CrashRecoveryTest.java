package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.Main;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.ServerProcess;
import com.monei.connect.server.support.TestDatabases;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 1.6 ("a send ... does nothing" unless it completes; "the first result again, never a second
 * transfer") across a crash: the server runs as its own JVM, is killed with SIGKILL in the middle
 * of a burst of sends, and is started again on the same database. Every answered send must be in
 * the ledger once, every unanswered one wholly or not at all, and retrying an unanswered send with
 * its key must never move the money twice.
 */
class CrashRecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "crash-test-password";
  private static final String REDIRECT_URI = "http://localhost:3000/monei/callback";
  private static final int USERS = 3;
  private static final long OPENING_MINOR = 100_000;
  private static final int THREADS = 6;
  /** The kill comes after this many 201s, or after {@link #MAX_BURST_MS}, whichever is first. */
  private static final int KILL_AFTER_COMPLETED = 150;
  private static final long MAX_BURST_MS = 4_000;

  @TempDir
  Path dir;

  private TestDatabases.Handle database;
  private final List<Process> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<ServerProcess> servers = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    for (Process p : commands) p.destroyForcibly();
    for (ServerProcess server : servers) server.close();
    if (database != null) database.close();
  }

  /** One send as a client made it: who to whom, its key (also its note) and, if it came, the answer. */
  private static final class Attempt {
    final int sender;
    final int recipient;
    final long minor;
    final String key;
    volatile int status = -1;
    volatile String body;

    Attempt(int sender, int recipient, long minor, String key) {
      this.sender = sender;
      this.recipient = recipient;
      this.minor = minor;
      this.key = key;
    }

    boolean answered() {
      return status > 0;
    }

    @Override
    public String toString() {
      return key + " " + sender + "->" + recipient + " " + minor + " status " + status + " " + body;
    }
  }

  private record Member(String email, String userId, String walletId, String token) {}

  @Test
  void sendWhenServerKilledMidBurstThenAnsweredOnceUnansweredAllOrNothingAndRetriesNeverTwice() throws Exception {
    database = TestDatabases.create();

    // Setup through the operator commands, against the same database the server will use.
    JsonNode app = cli(null, "apps", "create", "--name", "Crash App", "--redirect-uri", REDIRECT_URI, "--json");
    String clientId = app.get("client_id").asText();
    String clientSecret = app.get("client_secret").asText();
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < USERS; i++) emails.add("crash" + i + "-" + System.nanoTime() + "@monei.test");
    parallel(emails.stream().map(e -> (Runnable) () ->
        cli(PASSWORD + "\n", "users", "create", "--email", e, "--name", "Crash " + e.substring(0, 6),
            "--password-stdin", "--json")).toList());
    parallel(emails.stream().map(e -> (Runnable) () ->
        cli(null, "wallet", "credit", "--email", e, "--currency", "NGN", "--amount", "1000.00", "--json")).toList());

    ServerProcess first = startServer();
    List<Member> members = new ArrayList<>();
    for (String email : emails) members.add(authorize(first.url(), email, clientId, clientSecret));

    // The burst: every thread sends until the process is gone; the key doubles as the note.
    ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger completed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        MoneiTestClient http = new MoneiTestClient();
        Random random = new Random(thread);
        for (int i = 0; i < 5_000 && !killed.get(); i++) {
          int from = random.nextInt(USERS);
          int to = (from + 1 + random.nextInt(USERS - 1)) % USERS;
          Attempt a = new Attempt(from, to, 1 + random.nextInt(5_000), "crash-" + thread + "-" + i);
          attempts.add(a);
          try {
            HttpResponse<String> r = send(http, first.url(), members.get(from), members.get(to).email(), a);
            a.body = r.body();
            a.status = r.statusCode();
            if (r.statusCode() == 201) completed.incrementAndGet();
          } catch (RuntimeException connectionLost) {
            return;
          }
        }
      }, "sender-" + t);
      threads.add(worker);
      worker.start();
    }
    long deadline = System.currentTimeMillis() + MAX_BURST_MS;
    while (completed.get() < KILL_AFTER_COMPLETED && System.currentTimeMillis() < deadline) Thread.sleep(5);
    first.kill(); // SIGKILL: no shutdown hook, no connection closed cleanly
    killed.set(true);
    for (Thread worker : threads) worker.join(30_000);

    List<Attempt> all = new ArrayList<>(attempts);
    List<Attempt> unanswered = all.stream().filter(a -> !a.answered()).toList();
    assertThat(all.stream().filter(a -> a.status == 201)).as("201s before the kill").isNotEmpty();
    assertThat(unanswered).as("sends in flight when the server died").isNotEmpty();
    // Answers other than 201 and 422 are failures, reported last, after checking they moved nothing.
    List<String> unexpected = new ArrayList<>();
    for (Attempt a : all) if (a.answered() && a.status != 201 && a.status != 422) unexpected.add("burst: " + a);

    ServerProcess second = startServer();
    Map<String, String> bookedBeforeRetry = new LinkedHashMap<>();
    try (Connection c = connect()) {
      LedgerInvariants.check(c);
      for (Attempt a : all) {
        List<List<Object>> rows = LedgerInvariants.rows(c,
            "SELECT id, from_wallet, to_wallet, amount_minor FROM ledger_transactions WHERE kind = 'send' AND note = ?",
            a.key);
        assertThat(rows.size()).as("ledger entries for %s", a).isLessThanOrEqualTo(1);
        if (a.status == 201) {
          assertThat(rows).as("an answered 201 is in the ledger exactly once: %s", a).hasSize(1);
          assertThat(rows.get(0).get(0)).isEqualTo(json(a.body).get("id").asText());
        }
        if (a.answered() && a.status != 201) assertThat(rows).as("a refused send moved nothing: %s", a).isEmpty();
        List<List<Object>> stored = LedgerInvariants.rows(c, "SELECT response_status, response_body FROM "
            + "idempotency_keys WHERE user_id = ? AND client_id = ? AND idempotency_key = ?",
            members.get(a.sender).userId(), clientId, a.key);
        if (rows.isEmpty()) {
          // It did not happen, so no 201 may be waiting under its key either.
          if (!stored.isEmpty()) assertThat(((Number) stored.get(0).get(0)).intValue()).as(a.toString()).isNotEqualTo(201);
          continue;
        }
        List<Object> row = rows.get(0);
        assertThat(List.of(row.get(1), row.get(2), ((Number) row.get(3)).longValue())).as(a.toString())
            .isEqualTo(List.of(members.get(a.sender).walletId(), members.get(a.recipient).walletId(), a.minor));
        bookedBeforeRetry.put(a.key, (String) row.get(0));
        // It happened, so it happened completely: its key holds the 201 (the one the client got, or never got).
        assertThat(stored).as("stored answer of %s", a).hasSize(1);
        assertThat(((Number) stored.get(0).get(0)).intValue()).isEqualTo(201);
        assertThat(json((String) stored.get(0).get(1)).get("id").asText()).isEqualTo(row.get(0));
      }
      assertThat(LedgerInvariants.count(c, "SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'send'"))
          .as("no send in the ledger that no client asked for").isEqualTo(bookedBeforeRetry.size());
      assertBalancesFollowLedger(c, members);
    }

    System.out.printf("crash: %d sends, %d answered 201, %d answered 422, %d unanswered of which %d booked%n",
        all.size(), all.stream().filter(a -> a.status == 201).count(), all.stream().filter(a -> a.status == 422).count(),
        unanswered.size(), unanswered.stream().filter(a -> bookedBeforeRetry.containsKey(a.key)).count());

    // Retrying each unanswered send with its key: the stored first answer, or the send done now, once.
    MoneiTestClient http = new MoneiTestClient();
    Map<String, HttpResponse<String>> retried = new LinkedHashMap<>();
    for (Attempt a : unanswered) {
      HttpResponse<String> r = send(http, second.url(), members.get(a.sender), members.get(a.recipient).email(), a);
      retried.put(a.key, r);
      boolean replayed = r.headers().firstValue("Idempotent-Replayed").isPresent();
      if (bookedBeforeRetry.containsKey(a.key)) {
        assertThat(r.statusCode()).as("retry of %s: %s", a, r.body()).isEqualTo(201);
        assertThat(replayed).as("retry of %s replays", a).isTrue();
        assertThat(json(r.body()).get("id").asText()).isEqualTo(bookedBeforeRetry.get(a.key));
      } else if (r.statusCode() != 201 && r.statusCode() != 422) {
        unexpected.add("retry: " + a + " answered " + r.statusCode() + " " + r.body());
      }
    }
    // Retrying again, and retrying sends answered before the crash: always the first answer.
    for (Attempt a : all) {
      int firstStatus = a.answered() ? a.status : retried.get(a.key).statusCode();
      // Only stored answers replay; a failed request left no answer under its key.
      if (firstStatus != 201 && firstStatus != 422) continue;
      HttpResponse<String> r = send(http, second.url(), members.get(a.sender), members.get(a.recipient).email(), a);
      String firstBody = a.answered() ? a.body : retried.get(a.key).body();
      assertThat(r.statusCode()).as("again %s", a).isEqualTo(firstStatus);
      assertThat(r.body()).as("again %s", a).isEqualTo(firstBody);
      assertThat(r.headers().firstValue("Idempotent-Replayed")).as("again %s", a).contains("true");
    }
    try (Connection c = connect()) {
      LedgerInvariants.check(c);
      for (Attempt a : all) {
        int status = a.answered() ? a.status : retried.get(a.key).statusCode();
        assertThat(LedgerInvariants.count(c,
            "SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'send' AND note = ?", a.key))
            .as("transfers for %s", a).isEqualTo(status == 201 ? 1 : 0);
      }
      assertBalancesFollowLedger(c, members);
      assertThat(LedgerInvariants.userTotals(c).get("NGN")).isEqualTo(USERS * OPENING_MINOR);
    }
    assertThat(unexpected).as("answers other than 201 and 422; server errors logged:%n%s", serverErrors()).isEmpty();
  }

  /** The first two lines of each error the servers logged, for the failure message. */
  private String serverErrors() {
    StringBuilder errors = new StringBuilder();
    for (ServerProcess server : servers) {
      List<String> lines = server.output().lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("ERROR")) errors.append(lines.get(i)).append('\n')
            .append(i + 1 < lines.size() ? lines.get(i + 1) : "").append('\n');
      }
    }
    return errors.toString();
  }

  /** Each member's balance is the opening credit plus what the ledger's transactions moved. */
  private static void assertBalancesFollowLedger(Connection c, List<Member> members) {
    for (Member m : members) {
      long in = LedgerInvariants.count(c, "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_transactions "
          + "WHERE to_wallet = ? AND currency = 'NGN'", m.walletId());
      long out = LedgerInvariants.count(c, "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_transactions "
          + "WHERE from_wallet = ? AND currency = 'NGN'", m.walletId());
      long balance = LedgerInvariants.count(c,
          "SELECT available_minor FROM balances WHERE wallet_id = ? AND currency = 'NGN'", m.walletId());
      assertThat(balance).as("balance of %s", m.email()).isEqualTo(in - out);
    }
  }

  private static HttpResponse<String> send(MoneiTestClient http, String base, Member from, String to, Attempt a) {
    String body = "{\"to\":\"" + to + "\",\"amount\":\"" + Amounts.format(a.minor, new Currency("NGN", 2))
        + "\",\"currency\":\"NGN\",\"note\":\"" + a.key + "\"}";
    return http.postJson(base + "/api/v1/wallet/send", body, "Authorization", "Bearer " + from.token(),
        "Idempotency-Key", a.key);
  }

  // ---- the OAuth flow over HTTP against the separate process

  /** Signs in as {@code email}, allows wallet:read and wallet:send with a large limit, and redeems the code. */
  private Member authorize(String base, String email, String clientId, String clientSecret) {
    MoneiTestClient browser = new MoneiTestClient();
    Document login = Jsoup.parse(browser.get(base + "/login?return_to=%2F").body());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", login.selectFirst("input[name=csrf_token]").val());
    form.put("return_to", login.selectFirst("input[name=return_to]").val());
    form.put("email", email);
    form.put("password", PASSWORD);
    HttpResponse<String> signedIn = browser.postForm(base + "/login", form);
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);

    HttpResponse<String> consent = browser.get(base + "/connect/authorize?response_type=code&client_id=" + clientId
        + "&redirect_uri=" + MoneiTestClient.enc(REDIRECT_URI)
        + "&scope=" + MoneiTestClient.enc("wallet:read wallet:send") + "&state=crash");
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
    MoneiTestClient.ConsentScreen screen = MoneiTestClient.parseConsent(consent.body());
    HttpResponse<String> redirect = browser.postRawForm(base + "/connect/consent", "request_id="
        + MoneiTestClient.enc(screen.requestId()) + "&csrf_token=" + MoneiTestClient.enc(screen.csrfToken())
        + "&scope=wallet%3Aread&scope=wallet%3Asend&decision=allow&send_limit=1000000.00&send_limit_currency=NGN");
    assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(303);

    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", MoneiTestClient.query(redirect).get("code"));
    exchange.put("redirect_uri", REDIRECT_URI);
    exchange.put("client_id", clientId);
    exchange.put("client_secret", clientSecret);
    HttpResponse<String> tokens = browser.postForm(base + "/api/v1/connect/token", exchange);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);

    try (Connection c = connect()) {
      List<Object> row = LedgerInvariants.rows(c,
          "SELECT u.id, w.id FROM users u JOIN wallets w ON w.user_id = u.id WHERE u.email = ?", email).get(0);
      return new Member(email, (String) row.get(0), (String) row.get(1), json(tokens.body()).get("access_token").asText());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- processes

  /** Starts {@code serve} in its own JVM on the test's database. */
  private ServerProcess startServer() {
    Map<String, String> env = database.password() == null ? Map.of() : Map.of("MONEI_DB_PASSWORD", database.password());
    ServerProcess server = ServerProcess.start(database.url(), database.user(), env);
    servers.add(server);
    return server;
  }

  /** Runs one operator command to completion and returns its --json output. */
  private JsonNode cli(String stdin, String... args) {
    try {
      Path err = Files.createTempFile(dir, "cli-", ".err");
      ProcessBuilder pb = new ProcessBuilder(command(args)).redirectError(err.toFile());
      environment(pb);
      Process process = pb.start();
      commands.add(process);
      try (var in = process.getOutputStream()) {
        if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("%s: %s %s", List.of(args), out, Files.readString(err)).isZero();
      return json(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A short-lived JVM: the quick-start compiler and a small collector suit a command that runs a second. */
  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    command.addAll(List.of("--db", database.url()));
    return command;
  }

  private void environment(ProcessBuilder pb) {
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("MONEI_"));
    if (database.user() != null) env.put("MONEI_DB_USER", database.user());
    if (database.password() != null) env.put("MONEI_DB_PASSWORD", database.password());
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }

  /** Runs the tasks side by side (the common pool has a single thread on two cores). */
  private static void parallel(List<Runnable> tasks) {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(tasks.size());
    try {
      CompletableFuture.allOf(tasks.stream().map(t -> CompletableFuture.runAsync(t, pool))
          .toArray(CompletableFuture[]::new)).join();
    } finally {
      pool.shutdownNow();
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
