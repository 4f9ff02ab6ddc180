package com.monei.connect.bench.outside;

import com.monei.connect.bench.WrkReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Java side of bench/outside/run, against one peer described by a KEY=VALUE file (its
 * {@code describe} output). Results go to standard output as KEY=VALUE lines; progress and errors
 * to standard error; any failure exits non-zero with the reason.
 *
 * <pre>
 *   OutsideBench flows DESCRIBE --clients C --warmup S --duration S
 *   OutsideBench tokens DESCRIBE N OUTFILE
 *   OutsideBench refresh DESCRIBE TOKENFILE --warmup S --duration S [--pool 64] [--connections 32] [--wrk PATH]
 *   OutsideBench get DESCRIBE URL [--bearer-from TOKENFILE] --warmup S --duration S [--connections 32] [--wrk PATH]
 * </pre>
 *
 * flows: full authorizations from C concurrent clients (each a fresh cookie jar per flow); flows/s
 * over the measured window after the warm-up. tokens: N flows (four at a time), writing one line
 * "access TOKEN" (of the last flow) and N lines "refresh TOKEN" to OUTFILE (mode 600). refresh: wrk
 * -t1 with a Lua pool of the file's refresh tokens, the first --pool for the warm-up and the next
 * --pool for the measured run (the warm-up rotates its own). get: wrk -t1 GET of URL.
 */
public final class OutsideBench {
  private static final int MAX_FLOWS_PER_CLIENT = 1_000_000;

  private OutsideBench() {}

  public static void main(String[] args) {
    try {
      if (args.length < 2) throw new IllegalArgumentException(usage());
      String command = args[0];
      Peer peer = Peer.read(Path.of(args[1]));
      List<String> rest = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
      switch (command) {
        case "flows" -> flows(peer, named(rest, 0));
        case "tokens" -> {
          if (rest.size() != 2) throw new IllegalArgumentException(usage());
          tokens(peer, Integer.parseInt(rest.get(0)), Path.of(rest.get(1)));
        }
        case "refresh" -> refresh(peer, Path.of(positional(rest)), named(rest, 1));
        case "get" -> get(positional(rest), named(rest, 1));
        default -> throw new IllegalArgumentException(usage());
      }
    } catch (FormFlow.Failed e) {
      System.err.println("outside bench: a flow failed: " + e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      System.err.println("outside bench: " + e);
      System.exit(1);
    }
    System.exit(0);
  }

  private static String usage() {
    return "usage: OutsideBench flows|tokens|refresh|get DESCRIBE_FILE ... (see the class comment)";
  }

  private static String positional(List<String> rest) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) throw new IllegalArgumentException(usage());
    return rest.get(0);
  }

  private static Map<String, String> named(List<String> rest, int from) {
    Map<String, String> named = new LinkedHashMap<>();
    for (int i = from; i < rest.size(); i += 2) {
      if (!rest.get(i).startsWith("--") || i + 1 >= rest.size())
        throw new IllegalArgumentException("expected --name value at " + rest.get(i));
      named.put(rest.get(i).substring(2), rest.get(i + 1));
    }
    return named;
  }

  private static int number(Map<String, String> named, String name, int otherwise) {
    return Integer.parseInt(named.getOrDefault(name, Integer.toString(otherwise)));
  }

  private static void out(String key, Object value) {
    System.out.println(key + "=" + value);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  // ---- flows

  private static void flows(Peer peer, Map<String, String> named) throws Exception {
    int clients = number(named, "clients", 8);
    long warmup = number(named, "warmup", 5) * 1_000_000_000L;
    long duration = number(named, "duration", 20) * 1_000_000_000L;
    if (clients < 1 || clients > 256) throw new IllegalArgumentException("--clients must be 1..256");
    // One flow first: a peer that cannot do one fails here, loudly, before any load.
    new FormFlow(peer, 0).run();

    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        FormFlow flow = new FormFlow(peer, client);
        long[] mine = new long[1024];
        int count = 0;
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long start = window[0];
        long end = window[1];
        for (int n = 0; n < MAX_FLOWS_PER_CLIENT; n++) {
          long t0 = System.nanoTime();
          if (t0 >= end) break;
          String failure = null;
          try {
            flow.run();
          } catch (FormFlow.Failed e) {
            failure = e.getMessage();
          } catch (InterruptedException e) {
            break;
          } catch (Exception e) {
            failure = e.toString();
          }
          long t1 = System.nanoTime();
          if (t0 < start || t1 > end) continue;
          if (failure != null) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, failure);
            continue;
          }
          if (count == mine.length) mine = Arrays.copyOf(mine, mine.length * 2);
          mine[count++] = t1 - t0;
        }
        latencies[client] = mine;
        counts[client] = count;
      }, "flow-" + c);
      threads.add(t);
    }
    window[0] = System.nanoTime() + warmup;
    window[1] = window[0] + duration;
    for (Thread t : threads) t.start();
    go.countDown();
    for (Thread t : threads) t.join();

    long[] all = new long[Arrays.stream(counts).sum()];
    int k = 0;
    for (int c = 0; c < clients; c++) for (int i = 0; i < counts[c]; i++) all[k++] = latencies[c][i];
    Arrays.sort(all);
    double seconds = duration / 1e9;
    out("FLOWS", all.length);
    out("FLOWS_PER_S", fmt(all.length / seconds));
    out("FLOW_P50_MS", fmt(percentileMs(all, 50)));
    out("FLOW_P99_MS", fmt(percentileMs(all, 99)));
    out("FLOW_ERRORS", errors.get());
    if (firstError.get() != null) {
      out("FLOW_FIRST_ERROR", firstError.get().replace('\n', ' '));
      System.err.println("first failed flow: " + firstError.get());
    }
  }

  private static double percentileMs(long[] sorted, int p) {
    if (sorted.length == 0) return Double.NaN;
    return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
  }

  // ---- tokens

  private static void tokens(Peer peer, int n, Path file) throws Exception {
    if (n < 1 || n > 10_000) throw new IllegalArgumentException("N must be 1..10000");
    int workers = Math.min(4, n);
    AtomicInteger next = new AtomicInteger();
    List<FormFlow.Tokens> got = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread t = new Thread(() -> {
        FormFlow flow = new FormFlow(peer, worker);
        while (failure.get() == null && next.getAndIncrement() < n) {
          try {
            got.add(flow.run());
          } catch (Exception e) {
            failure.compareAndSet(null, e);
          }
        }
      }, "tokens-" + w);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    if (failure.get() != null) throw failure.get();
    StringBuilder sb = new StringBuilder("access ").append(got.get(got.size() - 1).access()).append('\n');
    for (FormFlow.Tokens t : got) sb.append("refresh ").append(t.refresh()).append('\n');
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    out("TOKENS", got.size());
  }

  private static List<String> read(Path file, String kind) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8))
      if (line.startsWith(kind + " ")) out.add(line.substring(kind.length() + 1));
    return out;
  }

  // ---- wrk

  private static void refresh(Peer peer, Path tokenFile, Map<String, String> named) throws Exception {
    int pool = number(named, "pool", 64);
    int warmup = number(named, "warmup", 5);
    int duration = number(named, "duration", 20);
    int connections = number(named, "connections", 32);
    String wrk = named.getOrDefault("wrk", "wrk");
    List<String> tokens = read(tokenFile, "refresh");
    int needed = warmup > 0 ? 2 * pool : pool;
    if (tokens.size() < needed)
      throw new IllegalArgumentException(tokens.size() + " refresh tokens in the file, " + needed + " needed");
    boolean json = peer.jsonBody();
    boolean rotates = peer.refreshRotates();
    String url = peer.get("TOKEN_URL");
    String id = peer.get("CLIENT_ID");
    String secret = peer.get("CLIENT_SECRET");
    if (warmup > 0) {
      // Its own tokens: the warm-up rotates them, so the measured run's pool is still live.
      WrkReport w = OutsideWrk.run(wrk, url,
          OutsideWrk.refreshScript(tokens.subList(0, pool), id, secret, json, rotates), warmup, connections);
      out("WARMUP_REFRESH_PER_S", fmt(w.okPerSecond()));
      out("WARMUP_REFRESH_ERRORS", w.non2xx() + w.socketErrors());
    }
    List<String> measured = warmup > 0 ? tokens.subList(pool, 2 * pool) : tokens.subList(0, pool);
    WrkReport r = OutsideWrk.run(wrk, url, OutsideWrk.refreshScript(measured, id, secret, json, rotates),
        duration, connections);
    report("REFRESH", r);
  }

  private static void get(String url, Map<String, String> named) throws Exception {
    int warmup = number(named, "warmup", 5);
    int duration = number(named, "duration", 20);
    int connections = number(named, "connections", 32);
    String wrk = named.getOrDefault("wrk", "wrk");
    String bearer = null;
    if (named.containsKey("bearer-from")) {
      List<String> access = read(Path.of(named.get("bearer-from")), "access");
      if (access.isEmpty()) throw new IllegalArgumentException("no access token in " + named.get("bearer-from"));
      bearer = access.get(0);
    }
    String lua = OutsideWrk.getScript(bearer);
    if (warmup > 0) OutsideWrk.run(wrk, url, lua, warmup, connections);
    report("GET", OutsideWrk.run(wrk, url, lua, duration, connections));
  }

  private static void report(String prefix, WrkReport r) {
    out(prefix + "_PER_S", fmt(r.okPerSecond()));
    out(prefix + "_P50_MS", fmt(r.p50Ms()));
    out(prefix + "_P99_MS", fmt(r.p99Ms()));
    out(prefix + "_REQUESTS", r.requests());
    out(prefix + "_NON2XX", r.non2xx());
    out(prefix + "_SOCKET_ERRORS", r.socketErrors());
    if (r.non2xx() + r.socketErrors() > 0) System.err.println("wrk report with errors:\n" + r.text());
  }
}
