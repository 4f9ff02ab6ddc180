package com.monei.connect.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The server's own count of Argon2id work (from /metrics): how many hashes and how much CPU their
 * threads spent. Read around a measured window, it splits a flow's server CPU into the hash and
 * everything else, in the same run and on the same cores. /metrics needs the server's metrics token,
 * which bench/run hands over in BENCH_METRICS_TOKEN (the environment, not a command line others can list).
 */
record ServerHashing(long hashes, double cpuSeconds) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static ServerHashing read(URI base) throws IOException, InterruptedException {
    String token = System.getenv("BENCH_METRICS_TOKEN");
    if (token == null || token.isBlank()) throw new IOException("BENCH_METRICS_TOKEN is not set");
    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(base.resolve("/metrics"))
        .header("Authorization", "Bearer " + token.strip())
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (metrics.statusCode() != 200) throw new IOException("/metrics answered " + metrics.statusCode());
    return new ServerHashing((long) value(metrics.body(), "monei_password_hashes_total"),
        value(metrics.body(), "monei_password_hash_cpu_seconds_total"));
  }

  ServerHashing minus(ServerHashing before) {
    return new ServerHashing(hashes - before.hashes, cpuSeconds - before.cpuSeconds);
  }

  private static double value(String exposition, String name) throws IOException {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{"))
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    throw new IOException("/metrics has no " + name);
  }
}
