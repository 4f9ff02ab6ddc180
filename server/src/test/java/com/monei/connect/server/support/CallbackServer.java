package com.monei.connect.server.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A third-party app's redirect URI for browser tests: answers "callback ok" on 127.0.0.1 and keeps
 * the raw query strings it received, in order.
 */
public final class CallbackServer implements AutoCloseable {
  private final HttpServer server;
  /** Raw query strings of the requests received, oldest first. */
  public final BlockingQueue<String> queries = new LinkedBlockingQueue<>();

  private CallbackServer(HttpServer server) {
    this.server = server;
  }

  public static CallbackServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      CallbackServer callback = new CallbackServer(http);
      http.createContext("/callback", exchange -> {
        String query = exchange.getRequestURI().getRawQuery();
        callback.queries.add(query == null ? "" : query);
        byte[] body = "callback ok".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      http.start();
      return callback;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The redirect URI to register. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
