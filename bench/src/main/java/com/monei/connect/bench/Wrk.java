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
import java.util.concurrent.TimeUnit;

/**
 * Runs wrk (the Debian package; a C event loop, so the client is not what saturates) against one
 * GET endpoint and reads its --latency report into a {@link Benchmark.Result}. A bearer token goes
 * in a temporary Lua script readable only by this user, never on the command line.
 */
final class Wrk {

  private Wrk() {}

  static Benchmark.Result run(String wrk, String name, URI url, String bearer, Duration warmup, Duration duration,
      int threads, int connections) throws IOException, InterruptedException {
    String lua = bearer == null ? null : "wrk.headers[\"Authorization\"] = \"Bearer " + bearer + "\"\n";
    return run(wrk, name, url, lua, lua, warmup, duration, threads, connections);
  }

  /** The refresh workload's pool of live refresh tokens (and as many again for its warm-up). */
  static final int REFRESH_POOL = 64;
  /** The refresh workload's connections, from one wrk thread (one Lua state, so one shared pool). */
  static final int REFRESH_CONNECTIONS = 32;

  /**
   * POST token (refresh_token) from wrk the way bench/outside/run loads every server: wrk -t1 -c32,
   * JSON bodies with client_id and client_secret, one shared pool of live refresh tokens (each request
   * takes the oldest; each answer's new refresh token goes back at the end). The warm-up uses other
   * families than the measured run, since it rotates them.
   */
  static Benchmark.Result refresh(String wrk, URI tokenUrl, String clientId, String clientSecret,
      List<String> warmupTokens, List<String> tokens, Duration warmup, Duration duration)
      throws IOException, InterruptedException {
    return run(wrk, "POST token (refresh_token)", tokenUrl, refreshScript(clientId, clientSecret, warmupTokens),
        refreshScript(clientId, clientSecret, tokens), warmup, duration, 1, REFRESH_CONNECTIONS);
  }

  private static String refreshScript(String clientId, String clientSecret, List<String> tokens) {
    StringBuilder all = new StringBuilder();
    for (String t : tokens) all.append('"').append(t).append("\",");
    String head = "{\"grant_type\":\"refresh_token\",\"client_id\":" + json(clientId) + ",\"client_secret\":"
        + json(clientSecret) + ",\"refresh_token\":\"";
    return """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Accept"] = "application/json"
        local head = %s
        local pool = { %s }
        local first, last = 1, #pool
        function request()
          -- An empty pool only after failed refreshes; the refusal of "none" then counts as an error.
          local t = "none"
          if first <= last then
            t = pool[first]
            pool[first] = nil
            first = first + 1
          end
          return wrk.format(nil, nil, nil, head .. t .. '"}')
        end
        function response(status, headers, body)
          local t = body:match('"refresh_token"%%s*:%%s*"([^"]+)"')
          if t then
            last = last + 1
            pool[last] = t
          end
        end
        """.formatted(luaString(head), all);
  }

  private static String json(String s) {
    try {
      return Benchmark.JSON.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String luaString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * Full authorization flows from wrk, one connection per wrk thread so that each Lua state is one
   * browser walking the same five steps as the Java flow workload: GET /login, POST /login,
   * GET /connect/authorize?prompt=consent, POST /connect/consent, code exchange. A failed step
   * counts an error and starts a new flow. The Lua script times whole flows (CLOCK_MONOTONIC through
   * LuaJIT's FFI) and prints them at the end; wrk's own latencies are per request, so unused.
   */
  static Benchmark.Result flow(String wrk, URI base, String authorizePath, String redirectUri, String clientId,
      String clientSecret, List<String> emails, String password, Duration warmup, Duration duration, int threads)
      throws IOException, InterruptedException {
    String basic = Base64.getEncoder().encodeToString(
        (enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
    StringBuilder users = new StringBuilder();
    for (String e : emails) users.append('"').append(enc(e)).append("\",");
    String lua = FLOW_SCRIPT.formatted(users, enc(password), authorizePath, basic, enc(redirectUri));
    Path script = script(lua);
    try {
      if (!warmup.isZero()) wrk(wrk, base, script, warmup, threads, threads);
      ServerHashing hashingBefore = ServerHashing.read(base);
      double cpuBefore = ServerCpu.seconds();
      String report = wrk(wrk, base, script, duration, threads, threads);
      double cpu = ServerCpu.seconds() - cpuBefore;
      ServerHashing hashing = ServerHashing.read(base).minus(hashingBefore);
      List<Long> micros = new ArrayList<>();
      long errors = 0;
      String firstError = null;
      for (String line : report.split("\n")) {
        if (line.startsWith("monei-flows ")) {
          String[] parts = line.split(" ", 4);
          errors += Long.parseLong(parts[2]);
          if (parts.length > 3) for (String t : parts[3].split(",")) if (!t.isBlank()) micros.add(Long.parseLong(t.strip()));
        } else if (line.startsWith("monei-error ") && firstError == null) {
          firstError = line.substring("monei-error ".length());
        }
      }
      long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
      String name = "wrk full flow (login, consent, code, token)";
      Benchmark.SERVER_HASHING.put(name, hashing);
      return new Benchmark.Result(name, threads + "x1", sorted.length, duration.toSeconds(),
          percentileMs(sorted, 50), percentileMs(sorted, 99), errors, firstError, null, cpu);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static double percentileMs(long[] sortedMicros, int p) {
    if (sortedMicros.length == 0) return Double.NaN;
    return sortedMicros[Math.max(0, (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1)] / 1e3;
  }

  // wrk may call request() twice for one request (when the first write would block), so request()
  // only reads the state and response() moves it on.
  private static final String FLOW_SCRIPT = """
      local emails = { %s }
      local password = "%s"
      local authorize = "%s"
      local basic = "Basic %s"
      local redirect = "%s"
      local ffi = require("ffi")
      ffi.cdef[[
      typedef struct { long tv_sec; long tv_nsec; } monei_timespec;
      int clock_gettime(int clk_id, monei_timespec *tp);
      ]]
      local ts = ffi.new("monei_timespec")
      local function micros()
        ffi.C.clock_gettime(1, ts)
        return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
      end
      local threads = {}
      local started = 0
      function setup(thread)
        thread:set("id", started)
        started = started + 1
        table.insert(threads, thread)
      end
      local function enc(s)
        return (s:gsub("[^%%w%%-%%._~]", function(c) return string.format("%%%%%%02X", string.byte(c)) end))
      end
      local function unescape(s)
        return (s:gsub("&#x2F;", "/"):gsub("&#47;", "/"):gsub("&quot;", '"'):gsub("&#39;", "'")
          :gsub("&#x27;", "'"):gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&amp;", "&"))
      end
      local function hidden(body, name)
        local v = body and body:match('name="' .. name .. '" value="([^"]*)"')
        return v and unescape(v)
      end
      local form = "application/x-www-form-urlencoded"
      local step, cookie, csrf, returnTo, requestId, code, t0, n = 1, nil, nil, nil, nil, nil, 0, 0
      done_flows, errors, first_error, lat = 0, 0, nil, {}
      function request()
        if step == 1 then
          t0 = micros()
          return wrk.format("GET", "/login?return_to=" .. enc(authorize), {}, nil)
        elseif step == 2 then
          local email = emails[(id + n) %% #emails + 1]
          return wrk.format("POST", "/login", { ["Cookie"] = cookie, ["Content-Type"] = form },
            "csrf_token=" .. enc(csrf) .. "&return_to=" .. enc(returnTo) .. "&email=" .. email
            .. "&password=" .. password)
        elseif step == 3 then
          return wrk.format("GET", authorize, { ["Cookie"] = cookie }, nil)
        elseif step == 4 then
          return wrk.format("POST", "/connect/consent", { ["Cookie"] = cookie, ["Content-Type"] = form },
            "request_id=" .. enc(requestId) .. "&csrf_token=" .. enc(csrf)
            .. "&scope=wallet%%3Aread&scope=wallet%%3Asend&decision=allow&send_limit=1000000000.00"
            .. "&send_limit_currency=NGN")
        else
          return wrk.format("POST", "/api/v1/connect/token", { ["Authorization"] = basic, ["Content-Type"] = form },
            "grant_type=authorization_code&code=" .. code .. "&redirect_uri=" .. redirect)
        end
      end
      local function fail(why)
        errors = errors + 1
        if not first_error then first_error = why end
        step, cookie = 1, nil
      end
      local function session(headers)
        local c = headers["Set-Cookie"] or headers["set-cookie"]
        return c and c:match("^([^;]+)")
      end
      function response(status, headers, body)
        if step == 1 then
          cookie, csrf, returnTo = session(headers), hidden(body, "csrf_token"), hidden(body, "return_to")
          if status ~= 200 or not cookie or not csrf or returnTo ~= authorize then return fail("GET /login " .. status) end
          step = 2
        elseif step == 2 then
          cookie = session(headers) or cookie
          if status ~= 303 then return fail("POST /login " .. status) end
          step = 3
        elseif step == 3 then
          -- Only the consent form: the page's "Not you?" sign-out form has a csrf_token of its own.
          local form = body and body:match('action="/connect/consent"(.*)$')
          requestId, csrf = hidden(form, "request_id"), hidden(form, "csrf_token")
          if status ~= 200 or not requestId or not csrf then return fail("GET /connect/authorize " .. status) end
          step = 4
        elseif step == 4 then
          local location = headers["Location"] or headers["location"] or ""
          code = location:match("[?&]code=([^&]+)")
          if status ~= 303 or not code or not location:match("[?&]state=bench") then
            return fail("POST /connect/consent " .. status)
          end
          step = 5
        else
          if status ~= 200 or not body:match('"access_token"') then return fail("POST token " .. status) end
          done_flows = done_flows + 1
          lat[#lat + 1] = micros() - t0
          n = n + 1
          step, cookie = 1, nil
        end
      end
      function done(summary, latency, requests)
        for _, t in ipairs(threads) do
          local l = t:get("lat")
          local parts = {}
          for i = 1, #l do parts[i] = tostring(l[i]) end
          io.write("monei-flows ", tostring(t:get("done_flows")), " ", tostring(t:get("errors")), " ",
            table.concat(parts, ","), "\\n")
          local e = t:get("first_error")
          if e then io.write("monei-error ", e, "\\n") end
        end
      end
      """;

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
      WrkReport r = WrkReport.parse(report);
      long ops = r.requests();
      long errors = r.errors();
      return new Benchmark.Result("wrk " + name, threads + "x" + connections, ops - errors, r.seconds(), r.p50Ms(),
          r.p99Ms(),
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
}
