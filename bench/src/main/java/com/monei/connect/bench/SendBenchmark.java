package com.monei.connect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load against a running local server (bench/run starts it and seeds it): obtains one token per
 * user through the real OAuth flow, then runs each workload for a fixed time from C client threads
 * and prints ops, ops/s, p50 and p99 latency and errors. Requests go to a loopback address only;
 * every loop is bounded in time and in count.
 */
public final class SendBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A ceiling on requests per client thread per workload, whatever the duration. */
  private static final int MAX_OPS_PER_THREAD = 5_000_000;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private SendBenchmark() {}

  /**
   * The command line: --base URL --client-id ID --emails a,b,... and tuning; the client secret and the
   * users' password come from BENCH_CLIENT_SECRET and BENCH_PASSWORD (or --client-secret, --password).
   */
  record Options(URI base, String clientId, String clientSecret, String redirectUri, String password,
      List<String> emails, Duration warmup, Duration duration, int threads, List<String> workloads) {

    static Options parse(String[] args) {
      Map<String, String> named = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --name value, got " + args[i]);
        named.put(args[i].substring(2), args[i + 1]);
      }
      if (args.length % 2 != 0) throw new IllegalArgumentException("missing value after " + args[args.length - 1]);
      named.putIfAbsent("client-secret", System.getenv("BENCH_CLIENT_SECRET"));
      named.putIfAbsent("password", System.getenv("BENCH_PASSWORD"));
      return new Options(URI.create(required(named, "base")), required(named, "client-id"),
          required(named, "client-secret"), named.getOrDefault("redirect-uri", "http://localhost:3000/monei/callback"),
          required(named, "password"), List.of(required(named, "emails").split(",")),
          Duration.ofSeconds(Long.parseLong(named.getOrDefault("warmup", "3"))),
          Duration.ofSeconds(Long.parseLong(named.getOrDefault("duration", "20"))),
          Integer.parseInt(named.getOrDefault("threads", "16")),
          List.of(named.getOrDefault("workloads", "healthz,me,send").split(",")));
    }

    private static String required(Map<String, String> named, String name) {
      String value = named.get(name);
      if (value == null || value.isBlank()) throw new IllegalArgumentException("--" + name + " is required");
      return value;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    requireLoopback(options.base());
    if (options.emails().size() < 2) throw new IllegalArgumentException("sends need at least two users");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    List<String> tokens = new ArrayList<>();
    for (String email : options.emails()) tokens.add(authorize(options, email));
    List<String> walletIds = new ArrayList<>();
    for (String token : tokens) walletIds.add(wallet(http, options.base(), token).get("wallet_id").asText());
    BigDecimal before = totalNgn(http, options.base(), tokens);

    List<Result> results = new ArrayList<>();
    for (String workload : options.workloads()) {
      Workload w = switch (workload.strip()) {
        case "healthz" -> healthz(options.base());
        case "me" -> walletMe(options.base(), tokens);
        case "send" -> send(options.base(), tokens, walletIds);
        default -> throw new IllegalArgumentException("unknown workload " + workload + " (healthz, me, send)");
      };
      results.add(run(http, w, options));
    }
    BigDecimal after = totalNgn(http, options.base(), tokens);

    System.out.printf(Locale.ROOT, "%nMonei Connect, %d client threads, %d s per workload after %d s warm-up, "
            + "%d users, server %s, %d cores%n%n", options.threads(), options.duration().toSeconds(),
        options.warmup().toSeconds(), tokens.size(), options.base(), Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-28s %9s %9s %8s %8s %7s%n", "workload", "ops", "ops/s", "p50 ms", "p99 ms",
        "errors");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-28s %9d %9.1f %8.2f %8.2f %7d%n", r.name(), r.ops(),
          r.ops() / (double) options.duration().toMillis() * 1000, r.percentileMs(50), r.percentileMs(99), r.errors());
    }
    for (Result r : results) if (r.firstError() != null) System.out.println("first error in " + r.name() + ": " + r.firstError());
    System.out.printf(Locale.ROOT, "%nNGN held by the %d users: %s before, %s after (%s)%n", tokens.size(),
        before.toPlainString(), after.toPlainString(), before.compareTo(after) == 0 ? "conserved" : "NOT CONSERVED");
    if (before.compareTo(after) != 0) System.exit(1);
  }

  // ---- workloads

  /** Builds the next request of one client thread, and says which status counts as success. */
  interface Workload {
    String name();

    int expectedStatus();

    HttpRequest next(int thread, long n, SplittableRandom random);
  }

  private static Workload healthz(URI base) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/healthz")).timeout(REQUEST_TIMEOUT).GET().build();
    return workload("GET /healthz", 200, (thread, n, random) -> request);
  }

  private static Workload walletMe(URI base, List<String> tokens) {
    return workload("GET /api/v1/wallet/me", 200, (thread, n, random) ->
        HttpRequest.newBuilder(base.resolve("/api/v1/wallet/me")).timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + tokens.get(thread % tokens.size())).GET().build());
  }

  /** Sends of 0.01-1.00 NGN between random users, each with a fresh Idempotency-Key. */
  private static Workload send(URI base, List<String> tokens, List<String> walletIds) {
    String run = Long.toString(System.currentTimeMillis(), 36);
    return workload("POST /api/v1/wallet/send", 201, (thread, n, random) -> {
      int from = random.nextInt(tokens.size());
      int to = (from + 1 + random.nextInt(tokens.size() - 1)) % tokens.size();
      long minor = 1 + random.nextInt(100);
      String body = "{\"to\":\"" + walletIds.get(to) + "\",\"amount\":\"" + minor / 100 + "."
          + String.format(Locale.ROOT, "%02d", minor % 100) + "\",\"currency\":\"NGN\",\"note\":\"bench\"}";
      return HttpRequest.newBuilder(base.resolve("/api/v1/wallet/send")).timeout(REQUEST_TIMEOUT)
          .header("Authorization", "Bearer " + tokens.get(from)).header("Content-Type", "application/json")
          .header("Idempotency-Key", "bench-" + run + "-" + thread + "-" + n)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    });
  }

  private interface RequestMaker {
    HttpRequest make(int thread, long n, SplittableRandom random);
  }

  private static Workload workload(String name, int expected, RequestMaker maker) {
    return new Workload() {
      public String name() {
        return name;
      }

      public int expectedStatus() {
        return expected;
      }

      public HttpRequest next(int thread, long n, SplittableRandom random) {
        return maker.make(thread, n, random);
      }
    };
  }

  // ---- running one workload

  /** What one workload did inside its measured window. */
  record Result(String name, long ops, long[] latenciesNanos, long errors, String firstError) {
    double percentileMs(int p) {
      if (latenciesNanos.length == 0) return Double.NaN;
      int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
      return latenciesNanos[Math.max(0, index)] / 1e6;
    }
  }

  /**
   * Every thread starts at the same instant, runs the warm-up unrecorded, then records each request
   * that starts and ends inside the measured window.
   */
  private static Result run(HttpClient http, Workload workload, Options options) throws InterruptedException {
    int threads = options.threads();
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    long[] errors = new long[threads];
    AtomicReference<String> firstError = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(thread * 7919L + 1);
        long[] mine = new long[1 << 14];
        int count = 0;
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long start = window[0];
        long end = window[1];
        for (long n = 0; n < MAX_OPS_PER_THREAD; n++) {
          long t0 = System.nanoTime();
          if (t0 >= end) break;
          int status;
          String failure = null;
          try {
            HttpResponse<String> response = http.send(workload.next(thread, n, random),
                HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            if (status != workload.expectedStatus()) failure = status + " " + response.body();
          } catch (IOException e) {
            status = -1;
            failure = e.toString();
          } catch (InterruptedException e) {
            break;
          }
          long t1 = System.nanoTime();
          if (t0 < start || t1 > end) continue;
          if (failure != null) {
            errors[thread]++;
            firstError.compareAndSet(null, failure);
            continue;
          }
          if (count == mine.length) mine = Arrays.copyOf(mine, mine.length * 2);
          mine[count++] = t1 - t0;
        }
        latencies[thread] = mine;
        counts[thread] = count;
      }, "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    window[0] = System.nanoTime() + options.warmup().toNanos();
    window[1] = window[0] + options.duration().toNanos();
    go.countDown();
    for (Thread worker : workers) worker.join();

    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int offset = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, all, offset, counts[t]);
      offset += counts[t];
    }
    Arrays.sort(all);
    return new Result(workload.name(), total, all, Arrays.stream(errors).sum(), firstError.get());
  }

  // ---- the OAuth flow as a browser and an app would drive it

  private static final Pattern HIDDEN = Pattern.compile("name=\"([a-z_]+)\" value=\"([^\"]*)\"");

  /** Signs in, allows wallet:read and wallet:send with a large limit, and exchanges the code for a token. */
  static String authorize(Options o, String email) throws IOException, InterruptedException {
    HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, String> login = hiddenFields(expect(browser, get(o.base().resolve("/login?return_to=%2F")), 200));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", login.get("csrf_token"));
    form.put("return_to", login.get("return_to"));
    form.put("email", email);
    form.put("password", o.password());
    expect(browser, post(o.base().resolve("/login"), "application/x-www-form-urlencoded", form(form)), 303);

    String authorize = "/connect/authorize?response_type=code&client_id=" + enc(o.clientId()) + "&redirect_uri="
        + enc(o.redirectUri()) + "&scope=" + enc("wallet:read wallet:send") + "&state=bench";
    Map<String, String> consent = hiddenFields(expect(browser, get(o.base().resolve(authorize)), 200));
    String decision = "request_id=" + enc(consent.get("request_id")) + "&csrf_token=" + enc(consent.get("csrf_token"))
        + "&scope=wallet%3Aread&scope=wallet%3Asend&decision=allow&send_limit=1000000000.00&send_limit_currency=NGN";
    HttpResponse<String> redirect = expect(browser,
        post(o.base().resolve("/connect/consent"), "application/x-www-form-urlencoded", decision), 303);
    String code = query(redirect.headers().firstValue("Location").orElseThrow()).get("code");

    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", code);
    exchange.put("redirect_uri", o.redirectUri());
    exchange.put("client_id", o.clientId());
    exchange.put("client_secret", o.clientSecret());
    HttpResponse<String> tokens = expect(browser,
        post(o.base().resolve("/api/v1/connect/token"), "application/x-www-form-urlencoded", form(exchange)), 200);
    return JSON.readTree(tokens.body()).get("access_token").asText();
  }

  private static JsonNode wallet(HttpClient http, URI base, String token) throws IOException, InterruptedException {
    HttpResponse<String> response = expect(http, HttpRequest.newBuilder(base.resolve("/api/v1/wallet/me"))
        .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token).GET().build(), 200);
    return JSON.readTree(response.body());
  }

  private static BigDecimal totalNgn(HttpClient http, URI base, List<String> tokens)
      throws IOException, InterruptedException {
    BigDecimal total = BigDecimal.ZERO;
    for (String token : tokens) {
      for (JsonNode b : wallet(http, base, token).get("balances"))
        if (b.get("currency").asText().equals("NGN")) total = total.add(new BigDecimal(b.get("available").asText()));
    }
    return total;
  }

  private static HttpResponse<String> expect(HttpClient client, HttpRequest request, int status)
      throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != status)
      throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
          + response.statusCode() + ", expected " + status + ": " + response.body());
    return response;
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
  }

  private static HttpRequest post(URI uri, String contentType, String body) {
    return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static Map<String, String> hiddenFields(HttpResponse<String> page) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = HIDDEN.matcher(page.body());
    while (m.find()) fields.putIfAbsent(m.group(1), unescape(m.group(2)));
    return fields;
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&#47;", "/")
        .replace("&#x2F;", "/").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static String form(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder();
    fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return sb.toString();
  }

  private static Map<String, String> query(String location) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = URI.create(location).getRawQuery();
    if (raw == null) return params;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** This harness loads this machine's own server, nothing else. */
  private static void requireLoopback(URI base) throws IOException {
    if (!"http".equals(base.getScheme()) || base.getHost() == null
        || !InetAddress.getByName(base.getHost()).isLoopbackAddress())
      throw new IllegalArgumentException("--base must be http:// on a loopback address, got " + base);
  }
}
