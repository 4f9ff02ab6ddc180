package com.monei.connect.bench.outside;

import com.monei.connect.bench.WrkReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * wrk (-t1, C connections, --latency) with a Lua script in a temporary file readable only by this
 * user (it holds the client secret or a token), and what its report says.
 */
final class OutsideWrk {
  private OutsideWrk() {}

  static WrkReport run(String wrk, String url, String lua, int seconds, int connections)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile("monei-outside", ".lua",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(script, lua);
      List<String> command = new ArrayList<>(List.of(wrk, "-t1", "-c" + connections, "-d" + seconds + "s",
          "--latency", "--timeout", "10s", "-s", script.toString(), url));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("wrk did not finish in time");
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) throw new IOException("wrk exited with " + process.exitValue() + ":\n" + out);
      return WrkReport.parse(out);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** A Lua string literal holding {@code s}. */
  static String lua(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\%03d", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  /** GET with an optional bearer token. */
  static String getScript(String bearer) {
    return bearer == null ? "wrk.method = \"GET\"\n"
        : "wrk.method = \"GET\"\nwrk.headers[\"Authorization\"] = " + lua("Bearer " + bearer) + "\n";
  }

  /**
   * refresh_token grants from one shared pool of live refresh tokens (wrk -t1: one Lua state for all
   * connections). Rotating: each request takes the oldest token of the pool and each answer's new
   * refresh_token goes back at its end. Not rotating: the tokens are used in turn and stay in the
   * pool (the same token goes back). client_id and client_secret in the body, JSON or form.
   */
  static String refreshScript(List<String> pool, String clientId, String clientSecret, boolean json,
      boolean rotates) {
    String head;
    String tail;
    if (json) {
      head = "{\"grant_type\":\"refresh_token\",\"client_id\":" + jsonString(clientId) + ",\"client_secret\":"
          + jsonString(clientSecret) + ",\"refresh_token\":\"";
      tail = "\"}";
    } else {
      head = "grant_type=refresh_token&client_id=" + FormFlow.enc(clientId) + "&client_secret="
          + FormFlow.enc(clientSecret) + "&refresh_token=";
      tail = "";
    }
    StringBuilder tokens = new StringBuilder();
    for (String t : pool) tokens.append(lua(t)).append(",\n");
    return """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = %s
        wrk.headers["Accept"] = "application/json"
        local head = %s
        local tail = %s
        local json = %s
        local rotates = %s
        local pool = {
        %s}
        local first, last, turn = 1, #pool, 0
        local function form(t)
          return (t:gsub("[^%%w%%-%%._~]", function(c) return string.format("%%%%%%02X", string.byte(c)) end))
        end
        function request()
          local t
          if rotates then
            -- An empty pool only after failed refreshes; "none" is then refused and counted.
            if first > last then
              t = "none"
            else
              t = pool[first]
              pool[first] = nil
              first = first + 1
            end
          else
            turn = turn %% #pool + 1
            t = pool[turn]
          end
          if not json then t = form(t) end
          return wrk.format(nil, nil, nil, head .. t .. tail)
        end
        function response(status, headers, body)
          if rotates then
            -- As it stands in the JSON string (escapes kept): valid again inside a JSON body.
            local t = body:match('"refresh_token"%%s*:%%s*"([^"]+)"')
            if t then
              if not json then t = t:gsub("\\\\/", "/") end
              last = last + 1
              pool[last] = t
            end
          end
        end
        """.formatted(lua(json ? "application/json" : "application/x-www-form-urlencoded"), lua(head), lua(tail),
        json, rotates, tokens);
  }

  private static String jsonString(String s) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
