package com.monei.connect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.account.PasswordHasher;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load against a running local server (bench/run starts it and seeds it). Each workload runs for a
 * fixed time from C client threads after a warm-up and reports ops, ops/s, p50 and p99 latency and
 * errors; with --wrk it also drives GET /healthz and GET /api/v1/wallet/me with wrk. Requests go to
 * a loopback address only; every loop is bounded in time and in count.
 *
 * <p>Workloads: healthz (the ceiling), me, send, refresh (each thread rotates its own token family),
 * exchange (codes made beforehand by GET /connect/authorize on remembered consent, itself reported as
 * "authorize"), flow (sign-in, consent screen, code, token with a fresh cookie jar), hash (Argon2id
 * verification in this process with the server's own parameters: the bound on flows).
 */
public final class Benchmark {
  static final ObjectMapper JSON = new ObjectMapper();
  /** A ceiling on operations per client thread per workload, whatever the duration. */
  private static final int MAX_OPS_PER_THREAD = 5_000_000;
  /** A ceiling on the codes made for the exchange workload. */
  private static final int MAX_CODES = 2_000_000;
  /** The code-making phase runs this many times longer than a workload so the exchanges do not run dry. */
  private static final int CODE_SUPPLY_FACTOR = 2;
  private static final List<String> ALL = List.of("healthz", "me", "send", "refresh", "exchange", "flow", "hash",
      "mixed");

  private Benchmark() {}

  /**
   * The command line: --base URL --client-id ID --emails a,b,... and tuning; the client secret and the
   * users' password come from BENCH_CLIENT_SECRET and BENCH_PASSWORD (or --client-secret, --password).
   */
  record Options(URI base, String clientId, String clientSecret, String redirectUri, String password,
      List<String> emails, Duration warmup, Duration duration, int threads, List<String> workloads, String wrk,
      int wrkThreads, int wrkConnections, String label, String loadBefore, String resultsFile) {

    static Options parse(String[] args) {
      Map<String, String> named = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --name value, got " + args[i]);
        named.put(args[i].substring(2), args[i + 1]);
      }
      if (args.length % 2 != 0) throw new IllegalArgumentException("missing value after " + args[args.length - 1]);
      named.putIfAbsent("client-secret", System.getenv("BENCH_CLIENT_SECRET"));
      named.putIfAbsent("password", System.getenv("BENCH_PASSWORD"));
      List<String> workloads = Arrays.stream(named.getOrDefault("workloads", String.join(",", ALL)).split(","))
          .map(String::strip).filter(w -> !w.isEmpty()).toList();
      for (String w : workloads)
        if (!ALL.contains(w)) throw new IllegalArgumentException("unknown workload " + w + " (" + ALL + ")");
      String wrk = named.get("wrk");
      if (named.containsKey("server-pid")) ServerCpu.watch(Long.parseLong(named.get("server-pid")));
      return new Options(URI.create(required(named, "base")), required(named, "client-id"),
          required(named, "client-secret"), named.getOrDefault("redirect-uri", "http://localhost:3000/monei/callback"),
          required(named, "password"), List.of(required(named, "emails").split(",")),
          Duration.ofSeconds(Long.parseLong(named.getOrDefault("warmup", "3"))),
          Duration.ofSeconds(Long.parseLong(named.getOrDefault("duration", "20"))),
          Integer.parseInt(named.getOrDefault("threads", "16")), workloads,
          wrk == null || wrk.isBlank() ? null : wrk,
          Integer.parseInt(named.getOrDefault("wrk-threads", "2")),
          Integer.parseInt(named.getOrDefault("wrk-connections", "32")), named.getOrDefault("label", ""),
          named.getOrDefault("load-before", loadAverage()), named.get("results"));
    }

    private static String required(Map<String, String> named, String name) {
      String value = named.get(name);
      if (value == null || value.isBlank()) throw new IllegalArgumentException("--" + name + " is required");
      return value;
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    requireLoopback(o.base());
    if (o.emails().size() < 2) throw new IllegalArgumentException("sends need at least two users");
    if (o.threads() < 1 || o.threads() > 256) throw new IllegalArgumentException("--threads must be 1..256");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    // One token per user through the real flow (this also remembers each user's consent).
    List<String> tokens = new ArrayList<>();
    for (String email : o.emails()) {
      Browser browser = new Browser(o);
      browser.signIn(email);
      tokens.add(browser.exchange(browser.code()).access());
    }
    List<String> walletIds = new ArrayList<>();
    for (String token : tokens) walletIds.add(wallet(http, o.base(), token).get("wallet_id").asText());
    BigDecimal before = totalNgn(http, o.base(), tokens);

    List<Result> results = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int c = o.threads();
    for (String workload : o.workloads()) {
      System.out.println("running " + workload + " ...");
      switch (workload) {
        case "healthz" -> results.add(run(healthz(http, o.base()), c, o.warmup(), o.duration()));
        case "me" -> results.add(run(walletMe(http, o.base(), tokens), c, o.warmup(), o.duration()));
        case "send" -> results.add(run(send(http, o.base(), tokens, walletIds), c, o.warmup(), o.duration()));
        case "refresh" -> results.add(run(refresh(o), c, o.warmup(), o.duration()));
        case "mixed" -> results.add(run(mixed(http, o, tokens, walletIds), c, o.warmup(), o.duration()));
        case "exchange" -> {
          ConcurrentLinkedQueue<String> codes = new ConcurrentLinkedQueue<>();
          Result made = run(authorize(o, codes), c, o.warmup(), o.duration().multipliedBy(CODE_SUPPLY_FACTOR));
          results.add(made);
          int supply = codes.size();
          Result exchanged = run(exchange(o, codes), c, o.warmup(), o.duration());
          results.add(exchanged);
          notes.add(supply + " codes made beforehand, " + codes.size() + " left unused"
              + (exchanged.note() != null ? "; " + exchanged.note() : ""));
        }
        case "flow" -> {
          AtomicLongArray steps = new AtomicLongArray(FLOW_STEPS.size() + 1);
          results.add(run(flow(o, steps), c, o.warmup(), o.duration()));
          long n = steps.get(FLOW_STEPS.size());
          if (n > 0) {
            StringBuilder sb = new StringBuilder("flow, mean ms per step:");
            for (int i = 0; i < FLOW_STEPS.size(); i++)
              sb.append(String.format(Locale.ROOT, " %s %.1f;", FLOW_STEPS.get(i), steps.get(i) / 1e6 / n));
            notes.add(sb.substring(0, sb.length() - 1));
          }
        }
        case "hash" -> {
          // One thread: the cost of one sign-in; one per core: the bound on flows; C: as loaded as the flows.
          for (int threads : new TreeSet<>(List.of(1, Runtime.getRuntime().availableProcessors(), c)))
            results.add(run(hash(o.password()), threads, o.warmup(), o.duration()).withServerCpu(Double.NaN));
        }
        default -> throw new IllegalStateException(workload);
      }
    }
    if (o.wrk() != null) {
      System.out.println("running wrk ...");
      results.add(Wrk.run(o.wrk(), "GET /healthz", o.base().resolve("/healthz"), null, o.warmup(), o.duration(),
          o.wrkThreads(), o.wrkConnections()));
      results.add(Wrk.run(o.wrk(), "GET /api/v1/wallet/me", o.base().resolve("/api/v1/wallet/me"), tokens.get(0),
          o.warmup(), o.duration(), o.wrkThreads(), o.wrkConnections()));
      if (o.workloads().contains("flow")) {
        results.add(Wrk.flow(o.wrk(), o.base(), new Browser(o).authorizePath(true), o.redirectUri(), o.clientId(),
            o.clientSecret(), o.emails(), o.password(), o.warmup(), o.duration(), o.threads()));
      }
      if (o.workloads().contains("refresh")) {
        // As bench/outside/run measures every server: wrk -t1 -c32, one shared pool of 64 live refresh
        // tokens from 64 authorizations granting every scope; another 64 for the warm-up, which rotates its own.
        List<String> families = refreshTokens(o, 2 * Wrk.REFRESH_POOL);
        results.add(Wrk.refresh(o.wrk(), o.base().resolve("/api/v1/connect/token"), o.clientId(), o.clientSecret(),
            families.subList(0, Wrk.REFRESH_POOL), families.subList(Wrk.REFRESH_POOL, families.size()),
            o.warmup(), o.duration()));
      }
    }
    BigDecimal after = totalNgn(http, o.base(), tokens);

    System.out.printf(Locale.ROOT, "%nMonei Connect%s, %s, %d s per workload after %d s warm-up, %d users, "
            + "%d cores, load average before %s%n%n", o.label().isEmpty() ? "" : " on " + o.label(), LocalDate.now(),
        o.duration().toSeconds(), o.warmup().toSeconds(), tokens.size(), Runtime.getRuntime().availableProcessors(),
        o.loadBefore());
    System.out.println("| workload | clients | ops | ops/s | p50 ms | p99 ms | server CPU ms/op | errors |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %d |%n", r.name(), r.clients(), r.ops(),
          fmt(r.ops() / r.seconds()), fmt(r.p50Ms()), fmt(r.p99Ms()),
          Double.isNaN(r.serverCpuMsPerOp()) ? "–" : String.format(Locale.ROOT, "%.3f", r.serverCpuMsPerOp()),
          r.errors());
    }
    System.out.println();
    if (o.resultsFile() != null) writeResults(Path.of(o.resultsFile()), results);
    notes.addAll(hashBound(results));
    for (String note : notes) System.out.println(note);
    for (Result r : results) if (r.firstError() != null) System.out.println("first error in " + r.name() + ": " + r.firstError());
    System.out.printf(Locale.ROOT, "NGN held by the %d users: %s before, %s after (%s)%n", tokens.size(),
        before.toPlainString(), after.toPlainString(), before.compareTo(after) == 0 ? "conserved" : "NOT CONSERVED");
    if (before.compareTo(after) != 0) System.exit(1);
  }

  /**
   * One line per result, tab-separated (name, ops/s, p50 ms, p99 ms, errors), for bench/run to set two
   * launches side by side.
   */
  private static void writeResults(Path file, List<Result> results) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Result r : results) {
      sb.append(r.name().replace('\t', ' ')).append('\t').append(fmt(r.ops() / r.seconds())).append('\t')
          .append(fmt(r.p50Ms())).append('\t').append(fmt(r.p99Ms())).append('\t').append(r.errors()).append('\n');
    }
    Files.writeString(file, sb.toString());
  }

  /** The server's own Argon2id count over a workload's measured window, by result name (wrk flows). */
  static final Map<String, ServerHashing> SERVER_HASHING = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The flows against the Argon2id bound: against verifications per second in this process with one
   * thread per core (a separate run), and, for wrk flows, against the server's own hash CPU in the
   * same window; what a flow costs the server besides the hash.
   */
  static List<String> hashBound(List<Result> results) {
    int cores = Runtime.getRuntime().availableProcessors();
    Result bound = results.stream().filter(r -> r.name().startsWith("Argon2id") && r.clients().equals(
        Integer.toString(cores)) && r.ops() > 0).findFirst().orElse(null);
    List<String> lines = new ArrayList<>();
    for (Result r : results) {
      if (!r.name().contains("full flow") || r.ops() == 0) continue;
      double flows = r.ops() / r.seconds();
      if (bound != null) {
        double perSecond = bound.ops() / bound.seconds();
        double hashMs = cores * 1000.0 / perSecond;
        lines.add(String.format(Locale.ROOT, "%s: %.1f%% of the in-process Argon2id bound (%.1f/s); server CPU "
            + "per flow besides one in-process verification (%.1f ms): %s ms", r.name(), 100 * flows / perSecond,
            perSecond, hashMs, Double.isNaN(r.serverCpuMsPerOp()) ? "?" : String.format(Locale.ROOT, "%.1f",
                r.serverCpuMsPerOp() - hashMs)));
      }
      ServerHashing h = SERVER_HASHING.get(r.name());
      if (h != null && h.hashes() > 0 && !Double.isNaN(r.serverCpuMsPerOp())) {
        // The same window on the same cores: the server's own hash CPU, so no drift between runs.
        double serverHashMs = h.cpuSeconds() * 1000 / h.hashes();
        double sameRunBound = cores * 1000.0 / serverHashMs;
        lines.add(String.format(Locale.ROOT, "%s, by the server's own count: %d verifications at %.1f ms of CPU; "
                + "server CPU per flow besides them %.2f ms; %.1f%% of what that hashing allows on %d cores (%.1f/s)",
            r.name(), h.hashes(), serverHashMs, r.serverCpuMsPerOp() - h.cpuSeconds() * 1000 / r.ops(),
            100 * flows / sameRunBound, cores, sameRunBound));
      }
    }
    return lines;
  }

  private static String loadAverage() {
    try {
      String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String fmt(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }

  // ---- workloads

  /** An unexpected answer: counted as an error, the thread goes on. */
  static final class Failed extends Exception {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  /** Nothing left to do (the codes ran out): the thread stops and the window ends there. */
  static final class OutOfWork extends Exception {
    OutOfWork() {
      super("out of work", null, false, false);
    }
  }

  /** One operation of one client thread. */
  interface Op {
    void run(long n) throws Exception;
  }

  /** Makes each client thread's operation (setting up its own state) before the clock starts. */
  interface Workload {
    String name();

    Op forThread(int thread, Window window) throws Exception;
  }

  /** The measured window, known once every thread is ready. */
  static final class Window {
    volatile long start;
    volatile long end;

    boolean contains(long t0, long t1) {
      return t0 >= start && t1 <= end;
    }
  }

  private static Workload workload(String name, ThreadOps ops) {
    return new Workload() {
      public String name() {
        return name;
      }

      public Op forThread(int thread, Window window) throws Exception {
        return ops.make(thread, window);
      }
    };
  }

  private interface ThreadOps {
    Op make(int thread, Window window) throws Exception;
  }

  private interface RequestMaker {
    HttpRequest make(int thread, long n, SplittableRandom random);
  }

  /** One request per op on a shared client; success is exactly the expected status. */
  private static Workload requests(HttpClient http, String name, int expected, RequestMaker maker) {
    return workload(name, (thread, window) -> {
      SplittableRandom random = new SplittableRandom(thread * 7919L + 1);
      return n -> Browser.check(http.send(maker.make(thread, n, random), HttpResponse.BodyHandlers.ofString()),
          expected);
    });
  }

  private static Workload healthz(HttpClient http, URI base) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Browser.REQUEST_TIMEOUT).GET()
        .build();
    return requests(http, "GET /healthz", 200, (thread, n, random) -> request);
  }

  private static Workload walletMe(HttpClient http, URI base, List<String> tokens) {
    return requests(http, "GET /api/v1/wallet/me", 200, (thread, n, random) ->
        HttpRequest.newBuilder(base.resolve("/api/v1/wallet/me")).timeout(Browser.REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + tokens.get(thread % tokens.size())).GET().build());
  }

  /** Sends of 0.01-1.00 NGN between random users, each with a fresh Idempotency-Key. */
  private static Workload send(HttpClient http, URI base, List<String> tokens, List<String> walletIds) {
    String run = Long.toString(System.currentTimeMillis(), 36);
    return requests(http, "POST /api/v1/wallet/send", 201, (thread, n, random) -> {
      int from = random.nextInt(tokens.size());
      int to = (from + 1 + random.nextInt(tokens.size() - 1)) % tokens.size();
      long minor = 1 + random.nextInt(100);
      String body = "{\"to\":\"" + walletIds.get(to) + "\",\"amount\":\"" + minor / 100 + "."
          + String.format(Locale.ROOT, "%02d", minor % 100) + "\",\"currency\":\"NGN\",\"note\":\"bench\"}";
      return HttpRequest.newBuilder(base.resolve("/api/v1/wallet/send")).timeout(Browser.REQUEST_TIMEOUT)
          .header("Authorization", "Bearer " + tokens.get(from)).header("Content-Type", "application/json")
          .header("Idempotency-Key", "bench-" + run + "-" + thread + "-" + n)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    });
  }

  /**
   * All at once, thread by thread in turn: full flows, wallet/me, sends and refreshes. This is the
   * load after which bench/run reads the server's resident memory.
   */
  private static Workload mixed(HttpClient http, Options o, List<String> tokens, List<String> walletIds) {
    List<Workload> parts = List.of(flow(o, new AtomicLongArray(FLOW_STEPS.size() + 1)),
        walletMe(http, o.base(), tokens), send(http, o.base(), tokens, walletIds), refresh(o));
    return workload("mixed (flow, wallet/me, send, refresh by thread)",
        (thread, window) -> parts.get(thread % parts.size()).forThread(thread, window));
  }

  /**
   * Refresh tokens of {@code n} new families granting every scope, spread over the users (one sign-in
   * each; the consent screen once per user for the scope its earlier grant lacked, then remembered).
   */
  private static List<String> refreshTokens(Options o, int n) throws Exception {
    List<Browser> browsers = new ArrayList<>();
    for (String email : o.emails()) {
      Browser browser = new Browser(o);
      browser.signIn(email);
      browsers.add(browser);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Browser browser = browsers.get(i % browsers.size());
      out.add(browser.exchange(browser.code(Browser.ALL_SCOPES)).refresh());
    }
    return out;
  }

  /** Each thread owns one token family and refreshes it in a loop, always with the latest refresh token. */
  private static Workload refresh(Options o) {
    return workload("POST token (refresh_token)", (thread, window) -> {
      Browser browser = new Browser(o);
      browser.signIn(o.emails().get(thread % o.emails().size()));
      String[] latest = {browser.exchange(browser.code()).refresh()};
      return n -> latest[0] = browser.refresh(latest[0]).refresh();
    });
  }

  /** Codes from GET /connect/authorize on a remembered consent (302), kept for the exchange workload. */
  private static Workload authorize(Options o, ConcurrentLinkedQueue<String> codes) {
    AtomicLong made = new AtomicLong();
    return workload("GET /connect/authorize (remembered consent, 302 code)", (thread, window) -> {
      Browser browser = new Browser(o);
      browser.signIn(o.emails().get(thread % o.emails().size()));
      return n -> {
        if (made.incrementAndGet() > MAX_CODES) throw new OutOfWork();
        codes.add(browser.rememberedCode());
      };
    });
  }

  /** Only the token exchanges of codes made beforehand. */
  private static Workload exchange(Options o, ConcurrentLinkedQueue<String> codes) {
    return workload("POST token (authorization_code)", (thread, window) -> {
      Browser browser = new Browser(o);
      return n -> {
        String code = codes.poll();
        if (code == null) throw new OutOfWork();
        browser.exchange(code);
      };
    });
  }

  static final List<String> FLOW_STEPS = List.of("GET /login", "POST /login (Argon2id)",
      "GET /connect/authorize (consent page)", "POST /connect/consent", "POST token");

  /**
   * A whole authorization as a new browser: GET /login with the authorization request as return_to,
   * POST /login, GET /connect/authorize with prompt=consent (the screen, though consent is remembered),
   * POST /connect/consent allow, then the app's code exchange. Users round-robin.
   */
  private static Workload flow(Options o, AtomicLongArray steps) {
    AtomicLong next = new AtomicLong();
    String authorize = new Browser(o).authorizePath(true);
    return workload("full flow (login, consent, code, token)", (thread, window) -> {
      Browser browser = new Browser(o);
      long[] at = new long[FLOW_STEPS.size() + 1];
      return n -> {
        String email = o.emails().get((int) (next.getAndIncrement() % o.emails().size()));
        browser.forgetCookies();
        at[0] = System.nanoTime();
        Map<String, String> login = browser.loginForm(authorize);
        at[1] = System.nanoTime();
        String afterLogin = browser.submitLogin(login, email);
        if (!afterLogin.equals(authorize)) throw new Failed("sign-in sent the browser to " + afterLogin);
        at[2] = System.nanoTime();
        Map<String, String> consent = browser.consentFields(browser.openAuthorize(afterLogin));
        at[3] = System.nanoTime();
        String code = browser.allow(consent);
        at[4] = System.nanoTime();
        browser.exchange(code);
        at[5] = System.nanoTime();
        if (window.contains(at[0], at[5])) {
          for (int i = 0; i < FLOW_STEPS.size(); i++) steps.addAndGet(i, at[i + 1] - at[i]);
          steps.incrementAndGet(FLOW_STEPS.size());
        }
      };
    });
  }

  /** Argon2id verification in this process with the server's PasswordHasher (what POST /login costs). */
  private static Workload hash(String password) {
    return workload("Argon2id verify (in-process, no HTTP)", (thread, window) -> {
      String phc = PasswordHasher.hash(password);
      return n -> {
        if (!PasswordHasher.verify(password, phc)) throw new Failed("the hash did not verify");
      };
    });
  }

  // ---- running one workload

  /** What one workload did inside its measured window. */
  record Result(String name, String clients, long ops, double seconds, double p50Ms, double p99Ms, long errors,
      String firstError, String note, double serverCpuSeconds) {
    Result(String name, String clients, long ops, double seconds, double p50Ms, double p99Ms, long errors,
        String firstError, String note) {
      this(name, clients, ops, seconds, p50Ms, p99Ms, errors, firstError, note, Double.NaN);
    }

    Result withServerCpu(double cpuSeconds) {
      return new Result(name, clients, ops, seconds, p50Ms, p99Ms, errors, firstError, note, cpuSeconds);
    }

    /** Server CPU milliseconds per operation over the measured window. */
    double serverCpuMsPerOp() {
      return ops == 0 ? Double.NaN : serverCpuSeconds * 1000 / ops;
    }
  }

  /**
   * Every thread sets itself up, then all start at the same instant, run the warm-up unrecorded, and
   * record each operation that starts and ends inside the measured window. A thread that runs out of
   * work ends the window for all.
   */
  static Result run(Workload workload, int threads, Duration warmup, Duration duration) throws Exception {
    long[][] latencies = new long[threads][];
    long[][] ends = new long[threads][];
    int[] counts = new int[threads];
    long[] errors = new long[threads];
    AtomicReference<String> firstError = new AtomicReference<>();
    AtomicReference<Exception> setupError = new AtomicReference<>();
    AtomicLong exhaustedAt = new AtomicLong(Long.MAX_VALUE);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    Window window = new Window();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        Op op;
        try {
          op = workload.forThread(thread, window);
        } catch (Exception e) {
          setupError.compareAndSet(null, e);
          op = null;
        } finally {
          ready.countDown();
        }
        long[] mine = new long[1 << 12];
        long[] mineEnds = new long[1 << 12];
        int count = 0;
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        if (op == null || setupError.get() != null) return;
        long start = window.start;
        long end = window.end;
        for (long n = 0; n < MAX_OPS_PER_THREAD; n++) {
          long t0 = System.nanoTime();
          if (t0 >= end || exhaustedAt.get() != Long.MAX_VALUE) break;
          String failure = null;
          try {
            op.run(n);
          } catch (OutOfWork e) {
            exhaustedAt.accumulateAndGet(t0, Math::min);
            break;
          } catch (InterruptedException e) {
            break;
          } catch (Exception e) {
            failure = e instanceof Failed ? e.getMessage() : e.toString();
          }
          long t1 = System.nanoTime();
          if (t0 < start || t1 > end) continue;
          if (failure != null) {
            errors[thread]++;
            firstError.compareAndSet(null, failure);
            continue;
          }
          if (count == mine.length) {
            mine = Arrays.copyOf(mine, mine.length * 2);
            mineEnds = Arrays.copyOf(mineEnds, mineEnds.length * 2);
          }
          mine[count] = t1 - t0;
          mineEnds[count++] = t1;
        }
        latencies[thread] = mine;
        ends[thread] = mineEnds;
        counts[thread] = count;
      }, "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    window.start = System.nanoTime() + warmup.toNanos();
    window.end = window.start + duration.toNanos();
    go.countDown();
    // The server's CPU over the measured window, sampled by this (otherwise idle) thread.
    sleepUntil(window.start);
    double cpuAtStart = ServerCpu.seconds();
    sleepUntil(window.end);
    double cpuAtEnd = ServerCpu.seconds();
    for (Thread worker : workers) worker.join();
    if (setupError.get() != null) throw new IllegalStateException(workload.name() + ": setup failed", setupError.get());

    long end = Math.min(window.end, exhaustedAt.get());
    String note = exhaustedAt.get() == Long.MAX_VALUE ? null
        : String.format(Locale.ROOT, "%s ran out of work %.1f s into its %d s window (ops/s over that part)",
            workload.name(), (end - window.start) / 1e9, duration.toSeconds());
    long[] all = new long[Arrays.stream(counts).sum()];
    int total = 0;
    for (int t = 0; t < threads; t++)
      for (int i = 0; i < counts[t]; i++) if (ends[t][i] <= end) all[total++] = latencies[t][i];
    all = Arrays.copyOf(all, total);
    Arrays.sort(all);
    // Ran out of work early: the CPU figure would cover idle time too, so it is left out.
    double cpu = exhaustedAt.get() == Long.MAX_VALUE ? cpuAtEnd - cpuAtStart : Double.NaN;
    return new Result(workload.name(), Integer.toString(threads), total, Math.max(0, end - window.start) / 1e9,
        percentileMs(all, 50), percentileMs(all, 99), Arrays.stream(errors).sum(), firstError.get(), note, cpu);
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    for (long left; (left = nanoTime - System.nanoTime()) > 0; ) Thread.sleep(Math.max(1, left / 1_000_000));
  }

  private static double percentileMs(long[] sorted, int p) {
    if (sorted.length == 0) return Double.NaN;
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  // ---- checks around the run

  private static JsonNode wallet(HttpClient http, URI base, String token) throws Exception {
    HttpResponse<String> response = Browser.check(http.send(HttpRequest.newBuilder(base.resolve("/api/v1/wallet/me"))
        .timeout(Browser.REQUEST_TIMEOUT).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString()), 200);
    return JSON.readTree(response.body());
  }

  private static BigDecimal totalNgn(HttpClient http, URI base, List<String> tokens) throws Exception {
    BigDecimal total = BigDecimal.ZERO;
    for (String token : tokens) {
      for (JsonNode b : wallet(http, base, token).get("balances"))
        if (b.get("currency").asText().equals("NGN")) total = total.add(new BigDecimal(b.get("available").asText()));
    }
    return total;
  }

  /** This harness loads this machine's own server, nothing else. */
  private static void requireLoopback(URI base) throws IOException {
    if (!"http".equals(base.getScheme()) || base.getHost() == null
        || !InetAddress.getByName(base.getHost()).isLoopbackAddress())
      throw new IllegalArgumentException("--base must be http:// on a loopback address, got " + base);
  }
}
