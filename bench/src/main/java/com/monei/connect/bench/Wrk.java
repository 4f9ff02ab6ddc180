package com.monei.connect.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs wrk (the Debian package; a C event loop, so the client is not what saturates) against one
 * GET endpoint and reads its --latency report into a {@link Benchmark.Result}. A bearer token goes
 * in a temporary Lua script readable only by this user, never on the command line.
 */
final class Wrk {
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
      Pattern.MULTILINE);
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET = Pattern.compile(
      "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private Wrk() {}

  static Benchmark.Result run(String wrk, String name, URI url, String bearer, Duration warmup, Duration duration,
      int threads, int connections) throws IOException, InterruptedException {
    String lua = bearer == null ? null : "wrk.headers[\"Authorization\"] = \"Bearer " + bearer + "\"\n";
    return run(wrk, name, url, lua, lua, warmup, duration, threads, connections);
  }

  /**
   * POST token (refresh_token) from wrk: every connection rotates its own token family, always
   * presenting the refresh token of the previous answer (a Lua pool per wrk thread, one token per
   * connection). The warm-up uses other families than the measured run, since it rotates them.
   */
  static Benchmark.Result refresh(String wrk, URI tokenUrl, String clientId, String clientSecret,
      List<String> warmupTokens, List<String> tokens, Duration warmup, Duration duration, int threads,
      int connections) throws IOException, InterruptedException {
    String basic = Base64.getEncoder().encodeToString(
        (enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
    return run(wrk, "POST token (refresh_token)", tokenUrl, refreshScript(basic, warmupTokens, threads),
        refreshScript(basic, tokens, threads), warmup, duration, threads, connections);
  }

  private static String refreshScript(String basic, List<String> tokens, int threads) {
    StringBuilder all = new StringBuilder();
    for (String t : tokens) all.append('"').append(t).append("\",");
    return """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
        wrk.headers["Authorization"] = "Basic %s"
        local all = { %s }
        local started = 0
        function setup(thread)
          thread:set("id", started)
          started = started + 1
        end
        local pool = {}
        function init(args)
          for i, t in ipairs(all) do
            if (i - 1) %% %d == id then pool[#pool + 1] = t end
          end
        end
        function request()
          -- An empty pool only after a failed refresh; the refusal then counts as an error.
          local t = table.remove(pool) or "none"
          return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. t)
        end
        function response(status, headers, body)
          local t = body:match('"refresh_token"%%s*:%%s*"([^"]+)"')
          if t then pool[#pool + 1] = t end
        end
        """.formatted(basic, all, threads);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Benchmark.Result run(String wrk, String name, URI url, String warmupLua, String lua,
      Duration warmup, Duration duration, int threads, int connections) throws IOException, InterruptedException {
    Path script = null;
    try {
      if (!warmup.isZero()) {
        script = script(warmupLua);
        wrk(wrk, url, script, warmup, threads, connections);
        if (script != null) Files.delete(script);
      }
      script = script(lua);
      double cpuBefore = ServerCpu.seconds();
      String report = wrk(wrk, url, script, duration, threads, connections);
      double cpu = ServerCpu.seconds() - cpuBefore;
      Matcher requests = REQUESTS.matcher(report);
      if (!requests.find()) throw new IOException("wrk printed no request count:\n" + report);
      long ops = Long.parseLong(requests.group(1));
      double seconds = seconds(requests.group(2), requests.group(3));
      double p50 = Double.NaN;
      double p99 = Double.NaN;
      Matcher p = PERCENTILE.matcher(report);
      while (p.find()) {
        double ms = seconds(p.group(2), p.group(3)) * 1000;
        if (p.group(1).equals("50")) p50 = ms;
        else p99 = ms;
      }
      long errors = 0;
      Matcher non2xx = NON_2XX.matcher(report);
      if (non2xx.find()) errors += Long.parseLong(non2xx.group(1));
      Matcher socket = SOCKET.matcher(report);
      if (socket.find()) for (int g = 1; g <= 4; g++) errors += Long.parseLong(socket.group(g));
      return new Benchmark.Result("wrk " + name, threads + "x" + connections, ops - errors, seconds, p50, p99,
          errors, errors > 0 ? report.strip().replace('\n', ' ') : null, null, cpu);
    } finally {
      if (script != null) Files.deleteIfExists(script);
    }
  }

  /** A temporary Lua file readable only by this user (it holds credentials), or null for none. */
  private static Path script(String lua) throws IOException {
    if (lua == null) return null;
    Path script = Files.createTempFile("monei-wrk", ".lua",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(script, lua);
    return script;
  }

  private static String wrk(String wrk, URI url, Path script, Duration duration, int threads, int connections)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(wrk, "-t" + threads, "-c" + connections,
        "-d" + duration.toSeconds() + "s", "--latency", "--timeout", "10s"));
    if (script != null) command.addAll(List.of("-s", script.toString()));
    command.add(url.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("wrk did not finish in time");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) throw new IOException("wrk exited with " + process.exitValue() + ":\n" + out);
    return out;
  }

  private static double seconds(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "us" -> v / 1e6;
      case "ms" -> v / 1e3;
      case "m" -> v * 60;
      default -> v;
    };
  }
}
