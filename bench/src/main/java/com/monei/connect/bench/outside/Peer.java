package com.monei.connect.bench.outside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a peer's {@code describe} printed: KEY=VALUE lines, the value being the rest of the line
 * (no quotes). See bench/outside/README.md for the keys.
 */
record Peer(Map<String, String> values) {

  static Peer read(Path file) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("describe printed a line that is not KEY=VALUE: " + line);
      values.put(line.substring(0, eq).strip(), line.substring(eq + 1));
    }
    return new Peer(values);
  }

  String get(String key) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("describe gave no " + key);
    return value;
  }

  String optional(String key) {
    return values.getOrDefault(key, "");
  }

  /**
   * The users flows sign in as: USERNAMES (optional, space-separated, all with PASSWORD) when the
   * peer gives several, else USERNAME. Flow client c signs in as the c-th (modulo their number), so
   * a server that limits parallel sign-ins per account (Monei: 5) sees one client per account.
   */
  List<String> usernames() {
    String many = optional("USERNAMES").strip();
    if (many.isEmpty()) return List.of(get("USERNAME"));
    return List.of(many.split("\\s+"));
  }

  boolean jsonBody() {
    String body = optional("TOKEN_BODY").strip().toLowerCase(Locale.ROOT);
    if (!body.equals("json") && !body.equals("form"))
      throw new IllegalArgumentException("TOKEN_BODY must be json or form, got '" + body + "'");
    return body.equals("json");
  }

  boolean refreshRotates() {
    String rotates = optional("REFRESH_ROTATES").strip().toLowerCase(Locale.ROOT);
    if (!rotates.equals("yes") && !rotates.equals("no"))
      throw new IllegalArgumentException("REFRESH_ROTATES must be yes or no, got '" + rotates + "'");
    return rotates.equals("yes");
  }
}
