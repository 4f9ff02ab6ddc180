package com.monei.connect.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in for the server in unit tests: the JDK's HTTP server on a free localhost port, which
 * records every request and answers with what the test's handler returns. A tripwire (the default
 * handler) answers 500 to anything, and the test asserts {@link #requests} stayed empty.
 */
final class FakeMonei implements AutoCloseable {
  record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet())
        if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
      return null;
    }

    Map<String, List<String>> form() {
      return Form.parse(body);
    }
  }

  record Response(int status, String body, Map<String, String> headers) {
    static Response json(int status, String body) {
      return new Response(status, body, Map.of());
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final Function<Request, Response> handler;

  private FakeMonei(Function<Request, Response> handler) {
    this.handler = handler;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** A server that must not be called. */
  static FakeMonei tripwire() {
    return new FakeMonei(r -> Response.json(500, "{\"error\":\"server_error\",\"error_description\":\"tripwire\"}"));
  }

  static FakeMonei answering(Function<Request, Response> handler) {
    return new FakeMonei(handler);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
    requests.add(request);
    Response response;
    try {
      response = handler.apply(request);
    } catch (RuntimeException | Error e) {
      response = Response.json(500, "{\"error\":\"server_error\"}");
    }
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
