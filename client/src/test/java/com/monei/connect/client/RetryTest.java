package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Retries with backoff on connection failures, 429 and 503, through a sleeper that records instead of sleeping. */
class RetryTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final String WALLET =
      "{\"wallet_id\":\"wal_1\",\"balances\":[],\"updated_at\":\"2030-01-01T00:00:00Z\"}";
  private static final String TXN = "{\"id\":\"txn_1\",\"type\":\"send\",\"amount\":\"5.00\",\"currency\":\"NGN\","
      + "\"status\":\"completed\",\"created_at\":\"2030-01-01T00:00:00Z\"}";
  private static final String UNAVAILABLE = "{\"error\":\"temporarily_unavailable\"}";

  private final List<Duration> slept = new CopyOnWriteArrayList<>();

  private MoneiConnect connect(String issuer, TokenStore store, int retries) {
    return MoneiConnect.builder().issuer(issuer).clientId("mc_app").clientSecret("mcs_secret").tokenStore(store)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).retries(retries).sleeper(slept::add).build();
  }

  private static InMemoryTokenStore store(Instant expiresAt) {
    InMemoryTokenStore store = new InMemoryTokenStore();
    store.save("u", new StoredTokens("mct_1", "mcr_1", expiresAt, Set.of("wallet:read", "wallet:send")));
    return store;
  }

  /** Answers {@code failures} first, then {@code success}. */
  private static Function<FakeMonei.Request, FakeMonei.Response> failingFirst(List<FakeMonei.Response> failures,
      FakeMonei.Response success) {
    AtomicInteger calls = new AtomicInteger();
    return r -> {
      int n = calls.getAndIncrement();
      return n < failures.size() ? failures.get(n) : success;
    };
  }

  @Test
  void sendWhen503ThenRetriedOnceWithSameIdempotencyKeyAndBody() {
    try (FakeMonei fake = FakeMonei.answering(failingFirst(List.of(FakeMonei.Response.json(503, UNAVAILABLE)),
        FakeMonei.Response.json(201, TXN)))) {
      Transaction txn = connect(fake.url(), store(NOW.plusSeconds(3600)), 2).wallet("u")
          .send(SendMoney.of("friend@example.com", "5.00", "NGN", "Lunch"), "key-1");

      assertThat(txn.id()).isEqualTo("txn_1");
      assertThat(fake.requests).hasSize(2);
      assertThat(fake.requests).extracting(r -> r.header("Idempotency-Key")).containsExactly("key-1", "key-1");
      assertThat(fake.requests.get(1).body()).isEqualTo(fake.requests.get(0).body());
      assertThat(slept).hasSize(1);
      assertThat(slept.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    }
  }

  @Test
  void meWhen429WithRetryAfterSecondsThenWaitsThatLong() {
    try (FakeMonei fake = FakeMonei.answering(failingFirst(
        List.of(new FakeMonei.Response(429, "{\"error\":\"rate_limited\"}", Map.of("Retry-After", "3"))),
        FakeMonei.Response.json(200, WALLET)))) {
      assertThat(connect(fake.url(), store(NOW.plusSeconds(3600)), 2).wallet("u").me().walletId()).isEqualTo("wal_1");
      assertThat(slept).containsExactly(Duration.ofSeconds(3));
    }
  }

  @Test
  void meWhen503WithRetryAfterDateThenWaitsUntilThen() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(5).atOffset(ZoneOffset.UTC));
    try (FakeMonei fake = FakeMonei.answering(failingFirst(
        List.of(new FakeMonei.Response(503, UNAVAILABLE, Map.of("Retry-After", date))),
        FakeMonei.Response.json(200, WALLET)))) {
      connect(fake.url(), store(NOW.plusSeconds(3600)), 2).wallet("u").me();
      assertThat(slept).containsExactly(Duration.ofSeconds(5));
    }
  }

  @Test
  void meWhenRetryAfterBeyondCapThenErrorWithoutWaiting() {
    try (FakeMonei fake = FakeMonei.answering(r -> new FakeMonei.Response(503, UNAVAILABLE,
        Map.of("Retry-After", "3600", "Request-Id", "req_1")))) {
      assertThatThrownBy(() -> connect(fake.url(), store(NOW.plusSeconds(3600)), 2).wallet("u").me())
          .isInstanceOfSatisfying(MoneiApiException.class, e -> assertThat(e.status()).isEqualTo(503));
      assertThat(fake.requests).hasSize(1);
      assertThat(slept).isEmpty();
    }
  }

  @Test
  void meWhenRetriesExhaustedThenLastErrorWithBoundedGrowingWaits() {
    AtomicInteger n = new AtomicInteger();
    try (FakeMonei fake = FakeMonei.answering(r -> new FakeMonei.Response(503, UNAVAILABLE,
        Map.of("Request-Id", "req_" + n.incrementAndGet())))) {
      assertThatThrownBy(() -> connect(fake.url(), store(NOW.plusSeconds(3600)), 6).wallet("u").me())
          .isInstanceOfSatisfying(MoneiApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.requestId()).isEqualTo("req_7");
          });
      assertThat(fake.requests).hasSize(7);
      assertThat(slept).hasSize(6).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(2)));
      assertThat(slept.get(5)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void meWhenOther5xxOr4xxThenNotRetried() {
    for (int status : new int[] {500, 502, 400, 404, 409}) {
      try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(status, "{\"error\":\"x\"}"))) {
        assertThatThrownBy(() -> connect(fake.url(), store(NOW.plusSeconds(3600)), 2).wallet("u").me())
            .isInstanceOf(MoneiApiException.class);
        assertThat(fake.requests).as("HTTP %d", status).hasSize(1);
      }
    }
    assertThat(slept).isEmpty();
  }

  @Test
  void meWhenRetriesZeroThenOneAttempt() {
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(503, UNAVAILABLE))) {
      assertThatThrownBy(() -> connect(fake.url(), store(NOW.plusSeconds(3600)), 0).wallet("u").me())
          .isInstanceOf(MoneiApiException.class);
      assertThat(fake.requests).hasSize(1);
    }
  }

  @Test
  void refreshWhen503ThenRetriedAndRotatedTokenSaved() {
    String tokens = "{\"access_token\":\"mct_2\",\"refresh_token\":\"mcr_2\",\"token_type\":\"Bearer\","
        + "\"expires_in\":3600,\"scopes\":[\"wallet:read\"]}";
    AtomicInteger tokenCalls = new AtomicInteger();
    try (FakeMonei fake = FakeMonei.answering(r -> {
      if (r.path().equals("/api/v1/connect/token"))
        return tokenCalls.getAndIncrement() == 0 ? FakeMonei.Response.json(503, UNAVAILABLE)
            : FakeMonei.Response.json(200, tokens);
      return FakeMonei.Response.json(200, WALLET);
    })) {
      InMemoryTokenStore store = store(NOW.minusSeconds(1));
      connect(fake.url(), store, 2).wallet("u").me();

      assertThat(tokenCalls).hasValue(2);
      assertThat(fake.requests.get(1).form().get("refresh_token")).containsExactly("mcr_1");
      assertThat(store.load("u").orElseThrow().refreshToken()).isEqualTo("mcr_2");
    }
  }

  @Test
  void meWhenConnectionRefusedThenRetriedAndLastFailureSurfaces() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(() -> connect("http://127.0.0.1:" + port, store(NOW.plusSeconds(3600)), 2).wallet("u").me())
        .isInstanceOf(UncheckedIOException.class);
    assertThat(slept).hasSize(2);
  }

  @Test
  void meWhenConnectionRefusedThenSuccessAfterRetry() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // The first attempt finds nothing listening; the sleeper starts the server before the retry.
    FakeMonei[] started = new FakeMonei[1];
    MoneiConnect connect = MoneiConnect.builder().issuer("http://127.0.0.1:" + port).clientId("mc_app")
        .clientSecret("mcs_secret").tokenStore(store(NOW.plusSeconds(3600))).clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .retries(2).sleeper(d -> {
          slept.add(d);
          if (started[0] == null) started[0] = FakeMonei.answeringOn(port, r -> FakeMonei.Response.json(200, WALLET));
        }).build();
    try {
      assertThat(connect.wallet("u").me().walletId()).isEqualTo("wal_1");
      assertThat(slept).hasSize(1);
      assertThat(started[0].requests).hasSize(1);
    } finally {
      if (started[0] != null) started[0].close();
    }
  }
}
