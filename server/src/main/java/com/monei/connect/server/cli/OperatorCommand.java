package com.monei.connect.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.monei.connect.server.Config;
import com.monei.connect.server.Services;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Option;

/** What every operator command shares: the database option, --json, and its streams. */
abstract class OperatorCommand {
  /** Built at first use: serve never prints JSON, and Jackson's classes would delay its start. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Option(names = "--db", defaultValue = "${env:MONEI_DB_URL:-" + Config.DEFAULT_DB_URL + "}",
      description = "JDBC URL of the database (env MONEI_DB_URL, default ${DEFAULT-VALUE}).")
  String db;

  @Option(names = "--json", description = "Print machine-readable JSON.")
  boolean json;

  InputStream in = System.in;
  PrintStream out = System.out;

  void io(InputStream in, PrintStream out) {
    this.in = in;
    this.out = out;
  }

  Services openServices() {
    Config config = Config.withEnvironment(Config.defaults(Config.DEFAULT_PORT).withDb(db), System.getenv());
    return new Services(config, Clock.systemUTC());
  }

  void print(Map<String, ?> result, String human) {
    if (json) {
      try {
        out.println(Json.MAPPER.writeValueAsString(result));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else {
      out.println(human);
    }
  }

  /** The first line of standard input, so a password never appears in the process list or history. */
  String readSecretFromStdin() {
    try {
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int newline = all.indexOf('\n');
      String line = newline >= 0 ? all.substring(0, newline) : all;
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input", e);
    }
  }
}
