package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.Config;
import com.monei.connect.server.Services;
import com.monei.connect.server.account.PasswordHasher;
import com.monei.connect.server.account.User;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.storage.JdbcUserStore;
import com.monei.connect.server.support.TestDatabases;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.validation.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC 1.6 as properties: random sequences of credits and sends (overdrafts, unknown recipients,
 * self-sends, over-limit sends, keys replayed with the same or another body, the same key strings
 * under other users and apps) run against the real domain and database; afterwards every ledger
 * invariant holds in SQL and every balance is what a simple in-memory model of the rules expects.
 *
 * <p>Each try draws its operations from {@code new Random(seed)}: 30 fixed seeds, plus the seed in the
 * system property {@value #SEED_PROPERTY} when set, so a failure (its message names the seed and the
 * operations) replays with {@code -Dmonei.ledger.seed=<seed>}.
 */
class LedgerPropertiesTest {
  private static final int USERS = 4;
  private static final int APPS = 2;
  private static final List<String> CURRENCIES = List.of("NGN", "USD");
  /** One Argon2 hash shared by every generated user: hashing per user would dominate the run. */
  private static final String PASSWORD_HASH = PasswordHasher.hash("property-password");

  static final String SEED_PROPERTY = "monei.ledger.seed";
  private static final int TRIES = 30;

  static TestDatabases.Handle database;
  static Services services;
  /** How sends ended, over all tries: printed at the end to show the operations reach every outcome. */
  static final Map<String, Integer> outcomes = new TreeMap<>();

  @BeforeAll
  static void open() {
    database = TestDatabases.create();
    services = new Services(Config.defaults(0).withDb(database.url())
        .withDbCredentials(database.user(), database.password()), Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    System.out.println("send outcomes: " + outcomes);
    if (services != null) services.close();
    if (database != null) database.close();
  }

  // ---- the operations

  enum Target { OTHER_EMAIL, OTHER_EMAIL_UPPER_CASE, OTHER_WALLET, SELF_EMAIL, SELF_WALLET, UNKNOWN_EMAIL,
    UNKNOWN_WALLET, FUNDING_WALLET }

  enum AmountKind { FIXED, WHOLE_BALANCE, BALANCE_PLUS_ONE, MALFORMED }

  /** FRESH: a new key. REPLAY_*: an earlier key with its exact body. REUSE_CHANGED: the last key, another amount. */
  enum KeyMode { FRESH, REPLAY_LAST, REPLAY_ANY, REUSE_CHANGED }

  sealed interface Op {}

  record Credit(int user, String currency, long minor) implements Op {}

  record Recipient(Target target, int offset) {}

  record Amount(AmountKind kind, long minor, boolean wholeUnits) {}

  record Send(int sender, int app, Recipient to, Amount amount, String currency, KeyMode keyMode, int pick,
      String note) implements Op {}

  /** Everything one try runs with, drawn from its seed. */
  record Scenario(long seed, List<Op> ops, long openingCredit, long limitOfFirstApp, long limitOfSecondApp,
      String currencyOfSecondLimit) {
    @Override
    public String toString() {
      return "seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + "), openingCredit " + openingCredit
          + ", limits " + limitOfFirstApp + " NGN / " + limitOfSecondApp + " " + currencyOfSecondLimit + ", "
          + ops.size() + " operations:\n"
          + IntStream.range(0, ops.size()).mapToObj(i -> "  " + i + ": " + ops.get(i))
              .collect(Collectors.joining("\n"));
    }
  }

  /** The fixed seeds, and the one to replay when {@value #SEED_PROPERTY} is set. */
  static LongStream seeds() {
    LongStream fixed = new SplittableRandom(0x4C6564676572L).longs(TRIES);
    String replay = System.getProperty(SEED_PROPERTY);
    if (replay == null || replay.isBlank()) return fixed;
    return LongStream.concat(fixed, LongStream.of(Long.parseLong(replay.strip())));
  }

  /** The generators: the same frequencies and ranges for every part of a try, drawn from one {@link Random}. */
  private record Generator(Random random) {
    Scenario scenario(long seed) {
      List<Op> ops = operations();
      long openingCredit = between(0, 200_000L);
      long limitOfFirstApp = limit();
      long limitOfSecondApp = limit();
      return new Scenario(seed, ops, openingCredit, limitOfFirstApp, limitOfSecondApp, limitCurrency());
    }

    /** 15 to 60 operations, nine lists in ten short (at most 25), which keeps the 30 tries to a second or two. */
    List<Op> operations() {
      int size = this.<Supplier<Integer>>frequency(weight(9, () -> between(15, 25)), weight(1, () -> between(26, 60)))
          .get();
      List<Op> ops = new ArrayList<>(size);
      for (int i = 0; i < size; i++)
        ops.add(this.<Supplier<Op>>frequency(weight(1, this::credit), weight(4, this::send)).get());
      return List.copyOf(ops);
    }

    int user() {
      return between(0, USERS - 1);
    }

    Op credit() {
      return new Credit(user(), oneOf(CURRENCIES), between(1, 200_000L));
    }

    Recipient recipient() {
      Target target = frequency(weight(10, Target.OTHER_EMAIL), weight(2, Target.OTHER_EMAIL_UPPER_CASE),
          weight(6, Target.OTHER_WALLET), weight(1, Target.SELF_EMAIL), weight(1, Target.SELF_WALLET),
          weight(1, Target.UNKNOWN_EMAIL), weight(1, Target.UNKNOWN_WALLET), weight(1, Target.FUNDING_WALLET));
      return new Recipient(target, between(1, USERS - 1));
    }

    Amount amount() {
      AmountKind kind = frequency(weight(12, AmountKind.FIXED), weight(2, AmountKind.WHOLE_BALANCE),
          weight(2, AmountKind.BALANCE_PLUS_ONE), weight(1, AmountKind.MALFORMED));
      return new Amount(kind, between(1, 150_000L), oneOf(List.of(true, false, false, false)));
    }

    KeyMode keyMode() {
      return frequency(weight(10, KeyMode.FRESH), weight(3, KeyMode.REPLAY_LAST), weight(2, KeyMode.REPLAY_ANY),
          weight(2, KeyMode.REUSE_CHANGED));
    }

    Op send() {
      int sender = user();
      int app = between(0, APPS - 1);
      Recipient to = recipient();
      Amount amount = amount();
      String currency = frequency(weight(9, "NGN"), weight(2, "USD"));
      KeyMode keyMode = keyMode();
      int pick = between(0, 1000);
      String note = oneOf(Arrays.asList(null, "", "lunch", "rent for March"));
      return new Send(sender, app, to, amount, currency, keyMode, pick, note);
    }

    /** Small limits are reached within a run; large ones leave the balance as the binding rule. */
    long limit() {
      return this.<Supplier<Long>>frequency(weight(1, () -> between(1, 50_000L)),
          weight(2, () -> between(50_000, 10_000_000L))).get();
    }

    String limitCurrency() {
      return frequency(weight(3, "NGN"), weight(1, "USD"));
    }

    int between(int min, int max) {
      return random.nextInt(min, max + 1);
    }

    long between(long min, long max) {
      return random.nextLong(min, max + 1);
    }

    /** One of {@code values}, each as likely (repeat a value to weight it; null allowed). */
    <T> T oneOf(List<T> values) {
      return values.get(random.nextInt(values.size()));
    }

    /** One of the values, each as likely as its weight. */
    @SafeVarargs
    final <T> T frequency(Weighted<T>... choices) {
      int total = Arrays.stream(choices).mapToInt(Weighted::weight).sum();
      int roll = random.nextInt(total);
      for (Weighted<T> choice : choices) {
        roll -= choice.weight();
        if (roll < 0) return choice.value();
      }
      throw new AssertionError("unreachable");
    }
  }

  private record Weighted<T>(int weight, T value) {}

  private static <T> Weighted<T> weight(int weight, T value) {
    return new Weighted<>(weight, value);
  }

  // ---- the property

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sendsAndCreditsWhenAnySequenceThenLedgerBalancedAndBalancesMatchModel(long seed) {
    Scenario scenario = new Generator(new Random(seed)).scenario(seed);
    String step = "setting up";
    try {
      World world = new World(List.of(new Consent.SendLimit(scenario.limitOfFirstApp(), "NGN"),
          new Consent.SendLimit(scenario.limitOfSecondApp(), scenario.currencyOfSecondLimit())));
      step = "opening credits";
      long openingCredit = scenario.openingCredit();
      if (openingCredit > 0) for (int u = 0; u < USERS; u++) world.credit(new Credit(u, "NGN", openingCredit));
      for (int i = 0; i < scenario.ops().size(); i++) {
        step = "operation " + i;
        Op op = scenario.ops().get(i);
        if (op instanceof Credit c) world.credit(c);
        else world.send((Send) op);
      }
      step = "comparing the database to the model";
      world.assertMatchesDatabase();
      step = "checking the ledger invariants";
      LedgerInvariants.check(services.db);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("Failed at " + step + " of " + scenario + "\n" + e.getMessage(), e);
    }
  }

  // ---- the world: fresh users and apps, and the model of what the database should hold

  /** What was stored under a key: the body it was sent with and the first answer. */
  private record StoredAnswer(Body body, int status, String answer) {}

  /** The parts of a request the spec compares to decide "same body". */
  private record Body(String to, String amount, String currency, String note) {
    static Body of(Sends.SendRequest r) {
      return new Body(r.to().strip(), r.amount(), r.currency(), r.note() == null ? "" : r.note());
    }
  }

  private record Keyed(String key, Sends.SendRequest request) {}

  private record Completed(String id, int sender, int recipient, String currency, long minor) {}

  private final class World {
    final List<User> users = new ArrayList<>();
    final List<String> walletIds = new ArrayList<>();
    final List<String> clientIds = new ArrayList<>();
    final List<Consent.SendLimit> limits;
    /** Model: balance per user and currency, sent per user and app, keys per user and app. */
    final long[][] balance = new long[USERS][CURRENCIES.size()];
    final long[][] sent = new long[USERS][APPS];
    final Map<String, StoredAnswer> stored = new HashMap<>();
    final Map<String, List<Keyed>> keysUsed = new HashMap<>();
    final int[][] keyCounter = new int[USERS][APPS];
    final List<Completed> completed = new ArrayList<>();

    World(List<Consent.SendLimit> limits) {
      this.limits = limits;
      JdbcUserStore store = new JdbcUserStore(services.db);
      for (int i = 0; i < USERS; i++) {
        String id = Ids.next("usr_");
        User user = new User(id, id.toLowerCase() + "@prop.monei.test", "Prop " + i, PASSWORD_HASH);
        assertThat(store.create(user, Instant.now())).isTrue();
        users.add(user);
        walletIds.add(services.wallets.walletOf(id).id());
      }
      for (int a = 0; a < APPS; a++) {
        String clientId = services.registration.register("Prop app " + a, List.of("http://localhost:3000/cb"), null,
            false, null).app().clientId();
        clientIds.add(clientId);
        for (User user : users)
          services.consents.grant(clientId, user.id(), Set.of("wallet:send"), limits.get(a), Instant.now());
      }
    }

    void credit(Credit c) {
      services.wallets.credit(users.get(c.user()).id(), c.currency(), Amounts.format(c.minor(), new Currency(c.currency(), 2)));
      balance[c.user()][CURRENCIES.indexOf(c.currency())] += c.minor();
    }

    void send(Send op) {
      String scope = op.sender() + "/" + op.app();
      List<Keyed> earlier = keysUsed.computeIfAbsent(scope, s -> new ArrayList<>());
      Keyed keyed = switch (earlier.isEmpty() ? KeyMode.FRESH : op.keyMode()) {
        case FRESH -> new Keyed("k" + keyCounter[op.sender()][op.app()]++, request(op));
        case REPLAY_LAST -> earlier.get(earlier.size() - 1);
        case REPLAY_ANY -> earlier.get(op.pick() % earlier.size());
        case REUSE_CHANGED -> {
          Keyed last = earlier.get(earlier.size() - 1);
          Sends.SendRequest r = request(op);
          if (Body.of(r).equals(Body.of(last.request())))
            r = new Sends.SendRequest(r.to(), r.amount() + "1", r.currency(), r.note());
          yield new Keyed(last.key(), r);
        }
      };
      earlier.add(keyed);
      String storeKey = users.get(op.sender()).id() + "|" + clientIds.get(op.app()) + "|" + keyed.key();

      int status;
      String answer = null;
      boolean replayed = false;
      try {
        Sends.Result result = services.sends.send(users.get(op.sender()).id(), clientIds.get(op.app()), keyed.key(),
            keyed.request(), LedgerPropertiesTest::render);
        status = result.status();
        answer = result.body();
        replayed = result.replayed();
      } catch (Sends.Rejected e) {
        status = e.conflict ? 409 : 400;
      }

      outcomes.merge(status + (replayed ? " replayed" : ""), 1, Integer::sum);
      String what = "op " + op + " key " + keyed.key() + " request " + keyed.request();
      StoredAnswer first = stored.get(storeKey);
      Body body = Body.of(keyed.request());
      if (first != null && first.body().equals(body)) {
        // Same key, same body: the first result again, never a second transfer.
        assertThat(replayed).as("replayed: " + what).isTrue();
        assertThat(status).as(what).isEqualTo(first.status());
        assertThat(answer).as(what).isEqualTo(first.answer());
        return;
      }
      if (first != null) {
        // Same key, different body: 409 (a malformed body may be refused as such first).
        assertThat(status).as(what).isIn(409, isMalformed(keyed.request()) ? 400 : 409);
        return;
      }
      Set<Integer> allowed = expectedRefusals(op.sender(), op.app(), keyed.request());
      if (allowed.isEmpty()) {
        assertThat(status).as(what).isEqualTo(201);
      } else {
        assertThat(allowed).as("status %s for %s", status, what).contains(status);
      }
      assertThat(replayed).as(what).isFalse();
      if (status == 400 || status == 409) return;
      stored.put(storeKey, new StoredAnswer(body, status, answer));
      if (status == 201) apply(op, keyed.request(), answer);
    }

    private void apply(Send op, Sends.SendRequest request, String answer) {
      String[] parts = answer.split("\\|");
      int recipient = recipientIndex(op.sender(), request.to());
      long minor = Amounts.parsePositive(request.amount(), new Currency(request.currency(), 2));
      assertThat(parts[0]).startsWith("txn_");
      assertThat(parts[1]).isEqualTo("send");
      assertThat(Long.parseLong(parts[2])).isEqualTo(minor);
      assertThat(parts[3]).isEqualTo(walletIds.get(recipient));
      int c = CURRENCIES.indexOf(request.currency());
      balance[op.sender()][c] -= minor;
      balance[recipient][c] += minor;
      if (limits.get(op.app()).currency().equals(request.currency())) sent[op.sender()][op.app()] += minor;
      completed.add(new Completed(parts[0], op.sender(), recipient, request.currency(), minor));
    }

    /** Every refusal the spec allows for this request; empty means it must succeed. */
    private Set<Integer> expectedRefusals(int sender, int app, Sends.SendRequest request) {
      Set<Integer> refusals = new HashSet<>();
      if (isMalformed(request)) return Set.of(400);
      int recipient = recipientIndex(sender, request.to());
      if (recipient < 0) refusals.add(404);
      if (recipient == sender) refusals.add(400);
      long minor = Amounts.parsePositive(request.amount(), new Currency(request.currency(), 2));
      Consent.SendLimit limit = limits.get(app);
      if (!limit.currency().equals(request.currency()) || sent[sender][app] + minor > limit.amountMinor())
        refusals.add(403);
      if (balance[sender][CURRENCIES.indexOf(request.currency())] < minor) refusals.add(422);
      return refusals;
    }

    private boolean isMalformed(Sends.SendRequest request) {
      try {
        Amounts.parsePositive(request.amount(), new Currency(request.currency(), 2));
        return false;
      } catch (ValidationException e) {
        return true;
      }
    }

    /** The user {@code to} names, or -1 when it names no user. */
    private int recipientIndex(int sender, String to) {
      for (int i = 0; i < USERS; i++) {
        if (users.get(i).email().equalsIgnoreCase(to.strip()) || walletIds.get(i).equals(to.strip())) return i;
      }
      return -1;
    }

    private Sends.SendRequest request(Send op) {
      int other = (op.sender() + op.to().offset()) % USERS;
      String to = switch (op.to().target()) {
        case OTHER_EMAIL -> users.get(other).email();
        case OTHER_EMAIL_UPPER_CASE -> users.get(other).email().toUpperCase();
        case OTHER_WALLET -> walletIds.get(other);
        case SELF_EMAIL -> users.get(op.sender()).email();
        case SELF_WALLET -> walletIds.get(op.sender());
        case UNKNOWN_EMAIL -> "nobody-" + op.pick() + "@prop.monei.test";
        case UNKNOWN_WALLET -> "wal_unknown" + op.pick();
        case FUNDING_WALLET -> LedgerInvariants.FUNDING_WALLET;
      };
      long available = balance[op.sender()][CURRENCIES.indexOf(op.currency())];
      String amount = switch (op.amount().kind()) {
        case FIXED -> text(op.amount().minor(), op.amount().wholeUnits());
        case WHOLE_BALANCE -> text(Math.max(1, available), false);
        case BALANCE_PLUS_ONE -> text(available + 1, false);
        case MALFORMED -> List.of("0", "0.00", "-1.00", "1.001", "1e3", " 1.00", "").get(op.pick() % 7);
      };
      return new Sends.SendRequest(to, amount, op.currency(), op.note());
    }

    private String text(long minor, boolean wholeUnits) {
      // "15" and "15.00" are both valid spellings of the same amount.
      if (wholeUnits && minor % 100 == 0) return String.valueOf(minor / 100);
      return Amounts.format(minor, new Currency("NGN", 2));
    }

    void assertMatchesDatabase() {
      for (int i = 0; i < USERS; i++) {
        Map<String, Long> actual = new TreeMap<>();
        for (Balance b : services.wallets.walletOf(users.get(i).id()).balances())
          if (b.availableMinor() != 0) actual.put(b.currency().code(), b.availableMinor());
        Map<String, Long> expected = new TreeMap<>();
        for (int c = 0; c < CURRENCIES.size(); c++) if (balance[i][c] != 0) expected.put(CURRENCIES.get(c), balance[i][c]);
        assertThat(actual).as("balances of user %d", i).isEqualTo(expected);
      }
      services.db.withConnection(c -> {
        Map<String, Completed> byId = new LinkedHashMap<>();
        for (Completed done : completed) assertThat(byId.put(done.id(), done)).as("duplicate id").isNull();
        StringBuilder in = new StringBuilder();
        for (User u : users) in.append(in.length() == 0 ? "" : ",").append('\'').append(u.id()).append('\'');
        List<List<Object>> sends = LedgerInvariants.rows(c, "SELECT id, from_wallet, to_wallet, currency, amount_minor "
            + "FROM ledger_transactions WHERE kind = 'send' AND initiated_by IN (" + in + ")");
        assertThat(sends).as("send transactions in the ledger").hasSize(completed.size());
        for (List<Object> row : sends) {
          Completed expected = byId.get((String) row.get(0));
          assertThat(expected).as("ledger send %s that no 201 announced", row).isNotNull();
          assertThat(List.of(row.get(1), row.get(2), row.get(3), ((Number) row.get(4)).longValue()))
              .isEqualTo(List.of(walletIds.get(expected.sender()), walletIds.get(expected.recipient()),
                  expected.currency(), expected.minor()));
        }
        assertThat(LedgerInvariants.count(c, "SELECT COUNT(*) FROM idempotency_keys WHERE user_id IN (" + in + ")"))
            .as("stored idempotency keys").isEqualTo(stored.size());
        return null;
      });
    }
  }

  /** A stored answer a test can take apart: id|type|amount|counterparty wallet, or the refusal. */
  static IdempotencyStore.Stored render(Sends.Outcome outcome) {
    if (outcome instanceof Sends.Outcome.Completed c) {
      LedgerEntry e = c.entry();
      return new IdempotencyStore.Stored(null, 201,
          e.id() + "|" + e.type() + "|" + e.amountMinor() + "|" + e.counterpartyWalletId());
    }
    int status = outcome instanceof Sends.Outcome.InsufficientFunds ? 422
        : outcome instanceof Sends.Outcome.LimitExceeded ? 403 : 404;
    return new IdempotencyStore.Stored(null, status, outcome.toString());
  }
}
