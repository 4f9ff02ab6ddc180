package com.monei.connect.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for the server in unit tests: the JDK's HTTP server on a free localhost port, which
 * records every request and answers with what the test's handler returns. A tripwire (the default
 * handler) answers 500 to anything, and the test asserts {@link #requests} stayed empty;
 * {@link ConfirmingWallet} plays a wallet whose sends the user confirms.
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
    this(0, handler);
  }

  private FakeMonei(int port, Function<Request, Response> handler) {
    this.handler = handler;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
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

  /** A server on {@code port}, for a test that starts it only after a first attempt found nothing there. */
  static FakeMonei answeringOn(int port, Function<Request, Response> handler) {
    return new FakeMonei(port, handler);
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

  /** The token endpoint's body for a grant of {@code scopes}, with {@code authorizationDetails} (JSON) if not null. */
  static String tokenBody(String access, String refresh, List<String> scopes, String authorizationDetails) {
    StringBuilder json = new StringBuilder("{\"access_token\":\"").append(access).append("\",\"refresh_token\":\"")
        .append(refresh).append("\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scopes\":[");
    for (int i = 0; i < scopes.size(); i++)
      json.append(i == 0 ? "" : ",").append('"').append(scopes.get(i)).append('"');
    json.append("],\"scope\":\"").append(String.join(" ", scopes)).append('"');
    if (authorizationDetails != null) json.append(",\"authorization_details\":").append(authorizationDetails);
    return json.append('}').toString();
  }

  /** SPEC 1.4's send authorization detail; {@code confirmAbove} null writes {@code "confirm_above": null}. */
  static String sendDetails(String amount, String currency, String confirmAbove) {
    return "[{\"type\":\"monei_send\",\"limit\":{\"amount\":\"" + amount + "\",\"currency\":\"" + currency
        + "\",\"window_hours\":24},\"confirm_above\":" + (confirmAbove == null ? "null" : "\"" + confirmAbove + "\"")
        + "}]";
  }

  /**
   * A wallet that asks the user to confirm sends above a threshold, as SPEC 1.6 describes: a send of
   * more than {@code confirmAbove} answers {@code 403 confirmation_required} (the same confirmation
   * for the same key and body until the user acts); after {@link #confirm} the same request executes
   * once, after {@link #reject} it answers {@code 403 confirmation_rejected}. It also answers the
   * token endpoint (with the send limit as authorization details) and {@code /api/v1/wallet/limits}.
   */
  static final class ConfirmingWallet implements Function<Request, Response> {
    private enum State { PENDING, CONFIRMED, REJECTED }

    private static final class Send {
      final String body;
      final BigDecimal amount;
      String confirmationId;
      State state;
      String result;

      Send(String body, BigDecimal amount) {
        this.body = body;
        this.amount = amount;
      }
    }

    final String limit;
    final String currency;
    final String confirmAbove;
    /** Sends that moved money; a retry answered with an earlier result does not count. */
    final AtomicInteger executed = new AtomicInteger();
    private final Map<String, Send> byKey = new HashMap<>();
    private final Map<String, Send> byConfirmation = new HashMap<>();
    private BigDecimal used = BigDecimal.ZERO;

    ConfirmingWallet(String limit, String currency, String confirmAbove) {
      this.limit = limit;
      this.currency = currency;
      this.confirmAbove = confirmAbove;
    }

    /** The user confirmed at the confirmation page. */
    synchronized void confirm(String confirmationId) {
      byConfirmation.get(confirmationId).state = State.CONFIRMED;
    }

    /** The user rejected at the confirmation page. */
    synchronized void reject(String confirmationId) {
      byConfirmation.get(confirmationId).state = State.REJECTED;
    }

    @Override
    public synchronized Response apply(Request r) {
      return switch (r.path()) {
        case "/api/v1/connect/token" -> Response.json(200, tokenBody("mct_1", "mcr_1",
            List.of("wallet:read", "wallet:send"), sendDetails(limit, currency, confirmAbove)));
        case "/api/v1/wallet/limits" -> Response.json(200, "{\"currency\":\"" + currency + "\",\"limit\":\"" + limit
            + "\",\"used\":\"" + used.setScale(2) + "\",\"remaining\":\"" + new BigDecimal(limit).subtract(used)
            + "\",\"window_hours\":24,\"confirm_above\":" + (confirmAbove == null ? "null" : "\"" + confirmAbove + "\"")
            + "}");
        case "/api/v1/wallet/send" -> send(r);
        default -> Response.json(404, "{\"error\":\"not_found\"}");
      };
    }

    private Response send(Request r) {
      String key = r.header("Idempotency-Key");
      if (key == null) return Response.json(400, "{\"error\":\"invalid_request\"}");
      Send send = byKey.get(key);
      if (send == null) {
        String amount = r.body().replaceAll(".*\"amount\":\"([0-9.]+)\".*", "$1");
        send = new Send(r.body(), new BigDecimal(amount));
        byKey.put(key, send);
      } else if (!send.body.equals(r.body())) {
        return Response.json(409, "{\"error\":\"idempotency_key_reused\"}");
      }
      if (send.result != null) return Response.json(201, send.result);
      boolean needsConfirming = confirmAbove != null && send.amount.compareTo(new BigDecimal(confirmAbove)) > 0;
      if (needsConfirming && send.state == null) {
        send.state = State.PENDING;
        send.confirmationId = "cfm_" + (byConfirmation.size() + 1);
        byConfirmation.put(send.confirmationId, send);
      }
      if (needsConfirming && send.state == State.PENDING) {
        return Response.json(403, "{\"error\":\"confirmation_required\",\"error_description\":\"Confirm it in Monei.\","
            + "\"message\":\"Confirm it in Monei.\",\"confirmation_id\":\"" + send.confirmationId
            + "\",\"confirmation_url\":\"http://" + r.header("Host") + "/confirm/" + send.confirmationId
            + "\",\"expires_in\":600}");
      }
      if (needsConfirming && send.state == State.REJECTED)
        return Response.json(403, "{\"error\":\"confirmation_rejected\",\"error_description\":\"Rejected.\"}");
      executed.incrementAndGet();
      used = used.add(send.amount);
      send.result = "{\"id\":\"txn_" + executed.get() + "\",\"type\":\"send\",\"amount\":\""
          + send.amount.toPlainString() + "\",\"currency\":\"" + currency + "\",\"status\":\"completed\","
          + "\"created_at\":\"2030-01-01T00:00:00Z\"}";
      return Response.json(201, send.result);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
