package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 1.6 under concurrency, over real HTTP: many clients sending at once, duplicates of one key
 * racing, sends racing for the same balance and the same send limit. Afterwards the histories, the
 * ledger and the balances must agree with the answers the clients got.
 */
@WithTestServer
class ConcurrentSendTest {
  private static final String BIG_LIMIT = "1000000.00";

  static TestServer server;
  static MoneiTestClient tokens;
  static TestServer.TestApp app;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
    app = server.app().create();
  }

  /** A user who granted the app wallet:read and wallet:send, with the token the app got. */
  private record Member(User user, String walletId, String token) {}

  private Member member(String balance, String limit) {
    User user = server.user();
    if (balance != null) server.credit(user, "NGN", balance);
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    var screen = flow.openConsent(flow.authorizeUrl(app, "wallet:read wallet:send", "s"));
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("wallet:read", "wallet:send"),
        "send_limit", limit, "send_limit_currency", "NGN");
    assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(303);
    String token = tokens.exchangeOk(app, MoneiTestClient.query(redirect).get("code")).get("access_token").asText();
    return new Member(user, server.services().wallets.walletOf(user.id()).id(), token);
  }

  /** What one client sent and what it was answered. */
  private record Answer(int sender, int recipient, long minor, String key, int status, String body, boolean replayed) {
    JsonNode json() {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }
  }

  private static HttpResponse<String> send(MoneiTestClient http, Member from, String key, String to, String amount) {
    return http.postJson(server.url() + "/api/v1/wallet/send", body(to, amount), "Authorization",
        "Bearer " + from.token(), "Idempotency-Key", key);
  }

  private static String body(String to, String amount) {
    return "{\"to\":\"" + to + "\",\"amount\":\"" + amount + "\",\"currency\":\"NGN\",\"note\":\"race\"}";
  }

  private static String amount(long minor) {
    return String.format("%d.%02d", minor / 100, minor % 100);
  }

  /** Runs every task at the same moment (as far as threads allow) and returns their results in order. */
  private static <T> List<T> together(int threads, List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch gate = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) futures.add(pool.submit(() -> {
        gate.await();
        return task.call();
      }));
      gate.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long minor(String amount) {
    return new java.math.BigDecimal(amount).movePointRight(2).longValueExact();
  }

  private static long balanceMinor(Member m) {
    JsonNode wallet = MoneiTestClient.json(tokens.api("/api/v1/wallet/me", m.token()));
    for (JsonNode b : wallet.get("balances"))
      if (b.get("currency").asText().equals("NGN")) return minor(b.get("available").asText());
    return 0;
  }

  /** Every entry of the member's history, following next_cursor to the end. */
  private static List<JsonNode> history(Member m) {
    List<JsonNode> entries = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 1000; page++) {
      HttpResponse<String> response = tokens.api("/api/v1/wallet/transactions?limit=100"
          + (cursor == null ? "" : "&cursor=" + cursor), m.token());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode json = MoneiTestClient.json(response);
      json.get("data").forEach(entries::add);
      if (json.get("next_cursor").isNull()) return entries;
      cursor = json.get("next_cursor").asText();
    }
    throw new AssertionError("history of " + m.user().email() + " does not end");
  }

  private static long sendsInLedgerFrom(List<Member> members) {
    return server.services().db.withConnection(c -> {
      long n = 0;
      for (Member m : members) {
        n += LedgerInvariants.count(c,
            "SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'send' AND from_wallet = ?", m.walletId());
      }
      return n;
    });
  }

  @Test
  void sendWhenEightClientsSendAtOnceThenEvery201BookedOnceOnBothSidesAndMoneyConserved() throws Exception {
    int users = 5;
    int threads = 8;
    int perThread = 40;
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < users; i++) members.add(member("1000.00", BIG_LIMIT));
    long seed = System.nanoTime();

    List<Callable<List<Answer>>> clients = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Random random = new Random(seed + t);
      clients.add(() -> {
        MoneiTestClient http = new MoneiTestClient();
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          int from = random.nextInt(users);
          int to = (from + 1 + random.nextInt(users - 1)) % users;
          long minor = 1 + random.nextInt(30_000);
          String key = UUID.randomUUID().toString();
          Member sender = members.get(from);
          // Half by email, half by wallet id: both name the same wallet.
          String recipient = random.nextBoolean() ? members.get(to).user().email() : members.get(to).walletId();
          HttpResponse<String> r = send(http, sender, key, recipient, amount(minor));
          answers.add(new Answer(from, to, minor, key, r.statusCode(), r.body(),
              r.headers().firstValue("Idempotent-Replayed").isPresent()));
        }
        return answers;
      });
    }
    List<Answer> answers = together(threads, clients).stream().flatMap(List::stream).toList();

    assertThat(answers).hasSize(threads * perThread);
    // Anything but 201 or 422 is a failure, reported last: the checks below show whether it moved money.
    List<Answer> unexpected = answers.stream().filter(a -> a.status() != 201 && a.status() != 422).toList();
    for (Answer a : answers) {
      assertThat(a.replayed()).as("a fresh key is never a replay: %s", a).isFalse();
      if (a.status() != 201) {
        if (a.status() == 422) assertThat(a.json().get("error").asText()).isEqualTo("insufficient_funds");
        continue;
      }
      JsonNode json = a.json();
      assertThat(json.get("type").asText()).isEqualTo("send");
      assertThat(json.get("amount").asText()).isEqualTo(amount(a.minor()));
      assertThat(json.get("counterparty").get("wallet_id").asText()).isEqualTo(members.get(a.recipient()).walletId());
    }
    List<Answer> completed = answers.stream().filter(a -> a.status() == 201).toList();
    assertThat(completed.stream().map(a -> a.json().get("id").asText()).distinct()).hasSize(completed.size());

    long[] expected = new long[users];
    Arrays.fill(expected, 100_000);
    for (int i = 0; i < users; i++) {
      int me = i;
      List<JsonNode> history = history(members.get(i));
      List<String> ids = history.stream().map(e -> e.get("id").asText()).toList();
      assertThat(new HashSet<>(ids)).as("no entry twice in the history of member %d", i).hasSize(ids.size());
      List<String> sent = history.stream().filter(e -> e.get("type").asText().equals("send"))
          .map(e -> e.get("id").asText()).toList();
      List<String> received = history.stream().filter(e -> e.get("type").asText().equals("receive"))
          .map(e -> e.get("id").asText()).toList();
      assertThat(sent).as("sends of member %d", i).containsExactlyInAnyOrderElementsOf(
          completed.stream().filter(a -> a.sender() == me).map(a -> a.json().get("id").asText()).toList());
      assertThat(received).as("receives of member %d", i).containsExactlyInAnyOrderElementsOf(
          completed.stream().filter(a -> a.recipient() == me).map(a -> a.json().get("id").asText()).toList());
    }
    for (Answer a : completed) {
      expected[a.sender()] -= a.minor();
      expected[a.recipient()] += a.minor();
    }
    long total = 0;
    for (int i = 0; i < users; i++) {
      long balance = balanceMinor(members.get(i));
      assertThat(balance).as("balance of member %d", i).isEqualTo(expected[i]);
      total += balance;
    }
    assertThat(total).as("NGN held by the five members").isEqualTo(500_000);
    assertThat(sendsInLedgerFrom(members)).as("send transactions in the ledger").isEqualTo(completed.size());
    LedgerInvariants.check(server.services().db);
    assertThat(unexpected).as("seed %d: answers other than 201 and 422 (of %d)", seed, answers.size()).isEmpty();
  }

  @Test
  void sendWhenTenDuplicatesOfOneKeyRaceThenOneTransferAndAllGetTheSameAnswer() throws Exception {
    Member sender = member("1000.00", BIG_LIMIT);
    Member recipient = member(null, BIG_LIMIT);
    String key = UUID.randomUUID().toString();
    List<Callable<HttpResponse<String>>> duplicates = new ArrayList<>();
    for (int i = 0; i < 10; i++) duplicates.add(() -> send(new MoneiTestClient(), sender, key,
        recipient.user().email(), "123.45"));

    List<HttpResponse<String>> responses = together(10, duplicates);

    assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(201);
    assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
    assertThat(responses.stream().filter(r -> r.headers().firstValue("Idempotent-Replayed").isEmpty()))
        .as("exactly one answer is the first, the others replay it").hasSize(1);
    assertThat(balanceMinor(sender)).isEqualTo(100_000 - 12_345);
    assertThat(balanceMinor(recipient)).isEqualTo(12_345);
    assertThat(sendsInLedgerFrom(List.of(sender))).isEqualTo(1);
    assertThat(history(recipient)).extracting(e -> e.get("type").asText()).containsExactly("receive");
    LedgerInvariants.check(server.services().db);
  }

  @Test
  void sendWhenOneKeyRacesWithTenDifferentBodiesThenOneTransferAndTheRest409() throws Exception {
    Member sender = member("1000.00", BIG_LIMIT);
    Member recipient = member(null, BIG_LIMIT);
    String key = UUID.randomUUID().toString();
    List<Callable<HttpResponse<String>>> variants = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      String amount = i + ".00";
      variants.add(() -> send(new MoneiTestClient(), sender, key, recipient.user().email(), amount));
    }

    List<HttpResponse<String>> responses = together(10, variants);

    List<HttpResponse<String>> won = responses.stream().filter(r -> r.statusCode() == 201).toList();
    assertThat(won).as("statuses %s", responses.stream().map(HttpResponse::statusCode).toList()).hasSize(1);
    for (HttpResponse<String> r : responses) {
      if (r.statusCode() == 201) continue;
      // Every other request reuses the key with another amount.
      assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
      assertThat(MoneiTestClient.json(r).get("error").asText()).isEqualTo("idempotency_key_reused");
    }
    long moved = minor(MoneiTestClient.json(won.get(0)).get("amount").asText());
    assertThat(balanceMinor(sender)).isEqualTo(100_000 - moved);
    assertThat(balanceMinor(recipient)).isEqualTo(moved);
    assertThat(sendsInLedgerFrom(List.of(sender))).isEqualTo(1);
  }

  @Test
  void sendWhenTenSendsRaceForOneBalanceThenOnlyAffordableOnesComplete() throws Exception {
    Member sender = member("1000.00", BIG_LIMIT);
    Member recipient = member(null, BIG_LIMIT);
    List<Callable<HttpResponse<String>>> sends = new ArrayList<>();
    for (int i = 0; i < 10; i++)
      sends.add(() -> send(new MoneiTestClient(), sender, UUID.randomUUID().toString(), recipient.walletId(),
          "300.00"));

    List<HttpResponse<String>> responses = together(10, sends);

    Map<Integer, Long> byStatus = responses.stream()
        .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    assertThat(byStatus).isEqualTo(Map.of(201, 3L, 422, 7L));
    responses.stream().filter(r -> r.statusCode() == 422)
        .forEach(r -> assertThat(MoneiTestClient.json(r).get("error").asText()).isEqualTo("insufficient_funds"));
    assertThat(balanceMinor(sender)).isEqualTo(10_000);
    assertThat(balanceMinor(recipient)).isEqualTo(90_000);
    LedgerInvariants.check(server.services().db);
  }

  @Test
  void sendWhenTenSendsRaceForOneLimitThenTotalStaysWithinLimit() throws Exception {
    Member sender = member("1000.00", "500.00");
    Member recipient = member(null, BIG_LIMIT);
    List<Callable<HttpResponse<String>>> sends = new ArrayList<>();
    for (int i = 0; i < 10; i++)
      sends.add(() -> send(new MoneiTestClient(), sender, UUID.randomUUID().toString(), recipient.user().email(),
          "100.00"));

    List<HttpResponse<String>> responses = together(10, sends);

    Map<Integer, Long> byStatus = responses.stream()
        .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    assertThat(byStatus).isEqualTo(Map.of(201, 5L, 403, 5L));
    responses.stream().filter(r -> r.statusCode() == 403)
        .forEach(r -> assertThat(MoneiTestClient.json(r).get("error").asText()).isEqualTo("send_limit_exceeded"));
    assertThat(balanceMinor(sender)).isEqualTo(50_000);
    assertThat(balanceMinor(recipient)).isEqualTo(50_000);
  }
}
