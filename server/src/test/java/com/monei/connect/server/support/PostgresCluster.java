package com.monei.connect.server.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A private PostgreSQL cluster (Debian's binaries, run as the postgres user) that a test may stop
 * and start, to show how the server behaves while its database is away.
 */
public final class PostgresCluster implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;

  private PostgresCluster(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** True when this machine can run one: root, and PostgreSQL's binaries installed. */
  public static boolean available() {
    return "root".equals(System.getProperty("user.name")) && binaries() != null;
  }

  public static PostgresCluster create() {
    try {
      Path bin = binaries();
      Path dir = Files.createTempDirectory("monei-pg-");
      run(List.of("chmod", "711", dir.toString()));
      run(List.of("chown", "postgres:", dir.toString()));
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      PostgresCluster cluster = new PostgresCluster(bin, dir, port);
      cluster.asPostgres(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "monei",
          "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"));
      cluster.start();
      cluster.asPostgres(List.of(bin.resolve("psql").toString(), "-q", "-h", dir.toString(), "-p", String.valueOf(port),
          "-U", "monei", "-d", "postgres", "-c", "CREATE DATABASE monei"));
      return cluster;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/monei";
  }

  public void start() {
    asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
        dir.resolve("log").toString(), "-w", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
  }

  /** Stops at once, as a crash or an operator would: clients' connections are cut. */
  public void stop() {
    asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
        "stop"));
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (RuntimeException ignored) {
      // already stopped
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp dir is harmless
    }
  }

  private static Path binaries() {
    try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
      return dirs.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve("pg_ctl")))
          .max(Comparator.comparing(Path::toString)).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private void asPostgres(List<String> command) {
    List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(command);
    run(full);
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
