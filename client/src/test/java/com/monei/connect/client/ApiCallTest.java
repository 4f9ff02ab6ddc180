package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** API calls against a fake server: refresh ahead of expiry and on 401, single flight, typed errors. */
class ApiCallTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final String WALLET = "{\"wallet_id\":\"wal_1\",\"balances\":[{\"currency\":\"NGN\","
      + "\"available\":\"1500.00\"}],\"updated_at\":\"2030-01-01T00:00:00Z\"}";

  private static String tokens(int generation) {
    return "{\"access_token\":\"mct_" + generation + "\",\"refresh_token\":\"mcr_" + generation
        + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scopes\":[\"wallet:read\"]}";
  }

  /** Rotates like Monei: mcr_N gives generation N+1 once; the wallet answers only the newest token. */
  private static final class RotatingServer implements Function<FakeMonei.Request, FakeMonei.Response> {
    final AtomicInteger refreshes = new AtomicInteger();
    volatile int generation;
    volatile long refreshDelayMillis;

    @Override
    public synchronized FakeMonei.Response apply(FakeMonei.Request r) {
      if (r.path().equals("/api/v1/connect/token")) {
        refreshes.incrementAndGet();
        sleep(refreshDelayMillis);
        if (!r.form().get("refresh_token").equals(List.of("mcr_" + generation)))
          return FakeMonei.Response.json(400, "{\"error\":\"invalid_grant\"}");
        generation++;
        return FakeMonei.Response.json(200, tokens(generation));
      }
      if (("Bearer mct_" + generation).equals(r.header("Authorization"))) return FakeMonei.Response.json(200, WALLET);
      return new FakeMonei.Response(401, "{\"error\":\"invalid_token\"}",
          Map.of("WWW-Authenticate", "Bearer realm=\"monei\", error=\"invalid_token\""));
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static MoneiConnect connect(FakeMonei fake, TokenStore store) {
    return MoneiConnect.builder().issuer(fake.url()).clientId("mc_app").clientSecret("mcs_secret").tokenStore(store)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  private static StoredTokens stored(int generation, Instant expiresAt) {
    return new StoredTokens("mct_" + generation, "mcr_" + generation, expiresAt, Set.of("wallet:read"));
  }

  @Test
  void meWhenTokenExpiresWithinSkewThenRefreshesFirstAndSavesTheRotatedToken() {
    RotatingServer rotating = new RotatingServer();
    try (FakeMonei fake = FakeMonei.answering(rotating)) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", stored(0, NOW.plusSeconds(30)));

      Wallet wallet = connect(fake, store).wallet("u").me();

      assertThat(wallet.balance("NGN")).get().extracting(Balance::availableText).isEqualTo("1500.00");
      assertThat(fake.requests).extracting(FakeMonei.Request::path)
          .containsExactly("/api/v1/connect/token", "/api/v1/wallet/me");
      assertThat(store.load("u")).get().extracting(StoredTokens::refreshToken).isEqualTo("mcr_1");
    }
  }

  @Test
  void meWhenSixteenThreadsFindTheTokenExpiredThenOneRefreshRequest() throws Exception {
    RotatingServer rotating = new RotatingServer();
    rotating.refreshDelayMillis = 200;
    try (FakeMonei fake = FakeMonei.answering(rotating)) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", stored(0, NOW.minusSeconds(1)));
      MoneiConnect connect = connect(fake, store);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Wallet>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) calls.add(pool.submit(() -> {
        start.await();
        return connect.wallet("u").me();
      }));
      start.countDown();
      for (Future<Wallet> call : calls) assertThat(call.get().walletId()).isEqualTo("wal_1");
      pool.shutdown();

      assertThat(rotating.refreshes).hasValue(1);
    }
  }

  @Test
  void meWhenApiAnswers401ThenRefreshesOnceAndRetriesOnce() {
    RotatingServer rotating = new RotatingServer();
    rotating.generation = 0;
    try (FakeMonei fake = FakeMonei.answering(rotating)) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      // The store's access token is valid by the clock but the server no longer accepts it.
      store.save("u", new StoredTokens("mct_revoked", "mcr_0", NOW.plusSeconds(3000), Set.of("wallet:read")));

      connect(fake, store).wallet("u").me();

      assertThat(fake.requests).extracting(FakeMonei.Request::path)
          .containsExactly("/api/v1/wallet/me", "/api/v1/connect/token", "/api/v1/wallet/me");
    }
  }

  @Test
  void meWhenRetryAfterRefreshStillAnswers401ThenThrowsWithoutLooping() {
    try (FakeMonei fake = FakeMonei.answering(r -> r.path().endsWith("/token")
        ? FakeMonei.Response.json(200, tokens(1))
        : FakeMonei.Response.json(401, "{\"error\":\"invalid_token\",\"error_description\":\"revoked\"}"))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", stored(0, NOW.plusSeconds(3000)));

      assertThatThrownBy(() -> connect(fake, store).wallet("u").me()).isExactlyInstanceOf(MoneiApiException.class)
          .extracting("status", "error").containsExactly(401, "invalid_token");
      assertThat(fake.requests).hasSize(3);
    }
  }

  @Test
  void meWhenRefreshAnswersInvalidGrantThenGrantRevokedAndTokensDeleted() {
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(400,
        "{\"error\":\"invalid_grant\",\"error_description\":\"The authorization grant is invalid.\"}"))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", stored(0, NOW.minusSeconds(1)));
      MoneiConnect connect = connect(fake, store);

      assertThatThrownBy(() -> connect.wallet("u").me()).isInstanceOf(GrantRevokedException.class)
          .extracting("error").isEqualTo("invalid_grant");
      assertThat(connect.grant("u")).isEmpty();
    }
  }

  @Test
  void meWhenNothingStoredThenGrantRevokedWithoutRequest() {
    try (FakeMonei fake = FakeMonei.tripwire()) {
      assertThatThrownBy(() -> connect(fake, new InMemoryTokenStore()).profile("nobody").me())
          .isInstanceOf(GrantRevokedException.class).extracting("status").isEqualTo(0);
      assertThat(fake.requests).isEmpty();
    }
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(403, "{\"error\":\"insufficient_scope\",\"error_description\":\"needs more\"}",
            "Bearer realm=\"monei\", error=\"insufficient_scope\", error_description=\"a, b\", scope=\"wallet:send\"",
            InsufficientScopeException.class),
        Arguments.of(422, "{\"error\":\"insufficient_funds\"}", null, InsufficientFundsException.class),
        Arguments.of(403, "{\"error\":\"send_limit_exceeded\"}", null, SendLimitExceededException.class),
        Arguments.of(404, "{\"error\":\"recipient_not_found\"}", null, RecipientNotFoundException.class),
        Arguments.of(409, "{\"error\":\"idempotency_key_reused\"}", null, IdempotencyConflictException.class),
        Arguments.of(400, "{\"error\":\"invalid_request\",\"message\":\"bad amount\"}", null, MoneiApiException.class),
        Arguments.of(502, "<html>Bad gateway</html>", null, MoneiApiException.class));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errors")
  void sendWhenServerRefusesThenTypedException(int status, String body, String challenge,
      Class<? extends MoneiApiException> expected) {
    try (FakeMonei fake = FakeMonei.answering(r -> new FakeMonei.Response(status, body,
        challenge == null ? Map.of() : Map.of("WWW-Authenticate", challenge)))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", stored(0, NOW.plusSeconds(3000)));

      assertThatThrownBy(() -> connect(fake, store).wallet("u").send(SendMoney.of("a@b.c", "1.00", "NGN", null), "k1"))
          .isExactlyInstanceOf(expected).extracting("status").isEqualTo(status);
      assertThat(fake.requests.get(0).header("Idempotency-Key")).isEqualTo("k1");
      assertThat(fake.requests.get(0).body()).contains("\"amount\":\"1.00\"");
    }
  }

  @Test
  void meWhenInsufficientScopeThenExceptionNamesTheScopeFromTheChallenge() {
    try (FakeMonei fake = FakeMonei.answering(r -> new FakeMonei.Response(403,
        "{\"error\":\"insufficient_scope\",\"error_description\":\"This call needs the wallet:read scope.\"}",
        Map.of("WWW-Authenticate", "Bearer realm=\"monei\", error=\"insufficient_scope\", "
            + "error_description=\"This call needs the 'wallet:read' scope, which \\\"x\\\".\", scope=\"wallet:read\"")))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", stored(0, NOW.plusSeconds(3000)));

      assertThatThrownBy(() -> connect(fake, store).wallet("u").me()).isInstanceOf(InsufficientScopeException.class)
          .extracting("scope", "error").containsExactly("wallet:read", "insufficient_scope");
    }
  }

  @Test
  void parseWhenChallengesVaryThenReadsTheBearerParameters() {
    assertThat(BearerChallenge.parse("Bearer error=\"insufficient_scope\", scope=\"wallet:read\""))
        .containsEntry("error", "insufficient_scope").containsEntry("scope", "wallet:read");
    assertThat(BearerChallenge.parse("Basic realm=\"x\", Bearer realm=\"monei\",error=invalid_token"))
        .containsEntry("realm", "monei").containsEntry("error", "invalid_token");
    assertThat(BearerChallenge.parse("bearer scope=\"a b\", error_description=\"quote \\\" and, comma\""))
        .containsEntry("scope", "a b").containsEntry("error_description", "quote \" and, comma");
    assertThat(BearerChallenge.parse("Bearer")).isEmpty();
    assertThat(BearerChallenge.parse("Basic realm=\"monei\"")).isEmpty();
    assertThat(BearerChallenge.parse(null)).isEmpty();
  }
}
