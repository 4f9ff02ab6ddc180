package com.monei.connect.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** POST /api/v1/wallet/send and GET /api/v1/wallet/transactions over real HTTP. */
@WithTestServer
class SendTest {
  static TestServer server;
  static MoneiTestClient tokens;
  static MoneiTestClient http = new MoneiTestClient();

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
  }

  /** A sender with NGN 1000.00 who granted wallet:send with the given limit, and a recipient. */
  private record Setup(User sender, User recipient, String token) {}

  private Setup setup(String limit) {
    User sender = server.user();
    User recipient = server.user();
    server.credit(sender, "NGN", "1000.00");
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(sender);
    var screen = flow.openConsent(flow.authorizeUrl(app, "wallet:read wallet:send", "s"));
    var redirect = flow.submitConsent(screen, "allow", List.of("wallet:read", "wallet:send"),
        "send_limit", limit, "send_limit_currency", "NGN");
    assertThat(redirect.statusCode()).isEqualTo(303);
    String token = tokens.exchangeOk(app, MoneiTestClient.query(redirect).get("code")).get("access_token").asText();
    return new Setup(sender, recipient, token);
  }

  private HttpResponse<String> send(String token, String key, String body) {
    return key == null
        ? http.postJson(server.url() + "/api/v1/wallet/send", body, "Authorization", "Bearer " + token)
        : http.postJson(server.url() + "/api/v1/wallet/send", body, "Authorization", "Bearer " + token,
            "Idempotency-Key", key);
  }

  private static String body(String to, String amount) {
    return "{\"to\":\"" + to + "\",\"amount\":\"" + amount + "\",\"currency\":\"NGN\",\"note\":\"lunch\"}";
  }

  private String balance(String token) {
    JsonNode wallet = MoneiTestClient.json(tokens.api("/api/v1/wallet/me", token));
    for (JsonNode b : wallet.get("balances")) if (b.get("currency").asText().equals("NGN")) return b.get("available").asText();
    return "0.00";
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  @Test
  void sendWhenFundedThenMovesMoneyAndBothSidesSeeIt() {
    Setup s = setup("5000.00");
    HttpResponse<String> response = send(s.token(), key(), body(s.recipient().email(), "250.50"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode txn = MoneiTestClient.json(response);
    assertThat(txn.get("id").asText()).startsWith("txn_");
    assertThat(txn.get("type").asText()).isEqualTo("send");
    assertThat(txn.get("amount").asText()).isEqualTo("250.50");
    assertThat(txn.get("currency").asText()).isEqualTo("NGN");
    assertThat(txn.get("status").asText()).isEqualTo("completed");
    assertThat(txn.get("note").asText()).isEqualTo("lunch");
    assertThat(txn.get("counterparty").get("name").asText()).isEqualTo(s.recipient().name());
    assertThat(balance(s.token())).isEqualTo("749.50");

    JsonNode history = MoneiTestClient.json(tokens.api("/api/v1/wallet/transactions", s.token()));
    assertThat(history.get("data").get(0).get("id").asText()).isEqualTo(txn.get("id").asText());
    assertThat(history.get("data").get(1).get("type").asText()).isEqualTo("credit");
    assertThat(history.get("next_cursor").isNull()).isTrue();
    assertThat(server.services().wallets.walletOf(s.recipient().id()).balances().get(0).availableMinor()).isEqualTo(25050);
  }

  @Test
  void sendWhenToIsWalletIdThenWorks() {
    Setup s = setup("5000.00");
    String walletId = server.services().wallets.walletOf(s.recipient().id()).id();
    assertThat(send(s.token(), key(), body(walletId, "1.00")).statusCode()).isEqualTo(201);
  }

  @Test
  void sendWhenSameKeySameBodyThenFirstResultAgainAndOneTransfer() {
    Setup s = setup("5000.00");
    String k = key();
    HttpResponse<String> first = send(s.token(), k, body(s.recipient().email(), "100.00"));
    HttpResponse<String> second = send(s.token(), k, body(s.recipient().email(), "100.00"));
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(balance(s.token())).isEqualTo("900.00");
  }

  @Test
  void sendWhenSameKeyDifferentBodyThen409() {
    Setup s = setup("5000.00");
    String k = key();
    send(s.token(), k, body(s.recipient().email(), "100.00"));
    HttpResponse<String> conflict = send(s.token(), k, body(s.recipient().email(), "200.00"));
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(balance(s.token())).isEqualTo("900.00");
  }

  @Test
  void sendWhenInsufficientFundsThen422AndNothingMoves() {
    Setup s = setup("50000.00");
    HttpResponse<String> response = send(s.token(), key(), body(s.recipient().email(), "1000.01"));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(MoneiTestClient.json(response).get("error").asText()).isEqualTo("insufficient_funds");
    assertThat(balance(s.token())).isEqualTo("1000.00");
  }

  @Test
  void sendWhenLimitReachedExactlyThenAllowedAndBeyondRefused() {
    Setup s = setup("300.00");
    assertThat(send(s.token(), key(), body(s.recipient().email(), "200.00")).statusCode()).isEqualTo(201);
    assertThat(send(s.token(), key(), body(s.recipient().email(), "100.00")).statusCode()).isEqualTo(201);
    HttpResponse<String> over = send(s.token(), key(), body(s.recipient().email(), "0.01"));
    assertThat(over.statusCode()).isEqualTo(403);
    assertThat(MoneiTestClient.json(over).get("error").asText()).isEqualTo("send_limit_exceeded");
    assertThat(balance(s.token())).isEqualTo("700.00");
  }

  @Test
  void sendWhenRecipientUnknownThen404() {
    Setup s = setup("5000.00");
    HttpResponse<String> response = send(s.token(), key(), body("nobody@monei.test", "1.00"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(MoneiTestClient.json(response).get("error").asText()).isEqualTo("recipient_not_found");
  }

  @Test
  void sendWhenToSelfThen400() {
    Setup s = setup("5000.00");
    HttpResponse<String> response = send(s.token(), key(), body(s.sender().email(), "1.00"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(balance(s.token())).isEqualTo("1000.00");
  }

  @Test
  void sendWhenNoIdempotencyKeyThen400() {
    Setup s = setup("5000.00");
    HttpResponse<String> response = send(s.token(), null, body(s.recipient().email(), "1.00"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(MoneiTestClient.json(response).get("error").asText()).isEqualTo("invalid_request");
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of("not json"), Arguments.of("[]"), Arguments.of("{\"to\":\"x@y.z\",\"amount\":100,\"currency\":\"NGN\"}"),
        Arguments.of(body("x@monei.test", "-1")), Arguments.of(body("x@monei.test", "0")),
        Arguments.of(body("x@monei.test", "1.001")), Arguments.of(body("x@monei.test", "1e3")),
        Arguments.of(body("x@monei.test", "NaN")), Arguments.of("{\"to\":\"x@monei.test\",\"amount\":\"1.00\",\"currency\":\"XXX\"}"),
        Arguments.of("{\"to\":\"x@monei.test\",\"amount\":\"1.00\"}"), Arguments.of("{\"amount\":\"1.00\",\"currency\":\"NGN\"}"));
  }

  @ParameterizedTest
  @MethodSource("malformedBodies")
  void sendWhenBodyMalformedThen400InvalidRequest(String body) {
    Setup s = setup("5000.00");
    HttpResponse<String> response = send(s.token(), key(), body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(MoneiTestClient.json(response).get("error").asText()).isEqualTo("invalid_request");
    assertThat(balance(s.token())).isEqualTo("1000.00");
  }

  @Test
  void transactionsWhenPagedThenEveryEntryOnceNewestFirst() {
    Setup s = setup("5000.00");
    for (int i = 1; i <= 7; i++) send(s.token(), key(), body(s.recipient().email(), i + ".00"));
    List<String> amounts = new java.util.ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = MoneiTestClient.json(tokens.api("/api/v1/wallet/transactions?limit=3"
          + (cursor == null ? "" : "&cursor=" + cursor), s.token()));
      page.get("data").forEach(t -> amounts.add(t.get("type").asText() + " " + t.get("amount").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    assertThat(amounts).containsExactly("send 7.00", "send 6.00", "send 5.00", "send 4.00", "send 3.00", "send 2.00",
        "send 1.00", "credit 1000.00");
  }

  @Test
  void transactionsWhenBadLimitOrCursorThen400() {
    Setup s = setup("5000.00");
    assertThat(tokens.api("/api/v1/wallet/transactions?limit=0", s.token()).statusCode()).isEqualTo(400);
    assertThat(tokens.api("/api/v1/wallet/transactions?limit=abc", s.token()).statusCode()).isEqualTo(400);
    assertThat(tokens.api("/api/v1/wallet/transactions?cursor=garbage", s.token()).statusCode()).isEqualTo(400);
    // Well-encoded cursors whose position is not a sequence number this server writes.
    for (String raw : List.of("-5:txn_x", "99999999999999999999:txn_x", "+5:txn_x", "5:usr_x")) {
      String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> page = tokens.api("/api/v1/wallet/transactions?cursor=" + cursor, s.token());
      assertThat(page.statusCode()).as(raw).isEqualTo(400);
      assertThat(MoneiTestClient.error(page)).as(raw).isEqualTo("invalid_request");
    }
  }

  @Test
  void sendWhenTokenLacksWalletSendThen403() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    String code = new MoneiTestClient(server).signIn(user).approve(app, "wallet:read", List.of("wallet:read"));
    String token = tokens.exchangeOk(app, code).get("access_token").asText();
    HttpResponse<String> response = send(token, key(), body("x@monei.test", "1.00"));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"wallet:send\"");
  }
}
