package com.monei.connect.server.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A `serve` command in its own JVM, on the test's classpath, so several server processes can share
 * one database as they do in production.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts `serve` on a free port over {@code dbUrl} and waits until /healthz answers. */
  public static ServerProcess start(String dbUrl, String dbUser, Map<String, String> env) {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path log = Files.createTempFile("monei-serve-", ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), "com.monei.connect.server.Main",
          "serve", "--port", String.valueOf(port), "--db", dbUrl));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("MONEI_"));
      if (dbUser != null) builder.environment().put("MONEI_DB_USER", dbUser);
      builder.environment().putAll(env);
      ServerProcess server = new ServerProcess(builder.start(), port, log);
      server.awaitHealthy(Duration.ofSeconds(30));
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "http://localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** SIGKILL: no shutdown hooks, no flushing, as in a crash. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    waitFor();
    try {
      if (System.getenv("MONEI_KEEP_SERVER_LOGS") == null) Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a leftover log in /tmp is harmless
    }
  }

  /** The process's output so far, for assertion messages. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void waitFor() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitHealthy(Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("serve exited early:\n" + output());
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/healthz"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("serve did not become healthy in " + timeout + ":\n" + output());
  }

}
