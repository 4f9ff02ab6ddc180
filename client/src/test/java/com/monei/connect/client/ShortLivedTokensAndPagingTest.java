package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The refresh skew follows the token's lifetime; the history streams across pages. */
class ShortLivedTokensAndPagingTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final String WALLET =
      "{\"wallet_id\":\"wal_1\",\"balances\":[],\"updated_at\":\"2030-01-01T00:00:00Z\"}";

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    volatile Instant now = NOW;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static String tokens(int generation, int expiresIn) {
    return "{\"access_token\":\"mct_" + generation + "\",\"refresh_token\":\"mcr_" + generation
        + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"scopes\":[\"wallet:read\"]}";
  }

  @Test
  void meWhenTokenLivesFiveSecondsThenCallsOneSecondApartUseTheSameToken() {
    MovingClock clock = new MovingClock();
    int[] generation = {0};
    try (FakeMonei fake = FakeMonei.answering(r -> {
      if (r.path().equals("/api/v1/connect/token")) return FakeMonei.Response.json(200, tokens(++generation[0], 5));
      return FakeMonei.Response.json(200, WALLET);
    })) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", new StoredTokens("mct_0", "mcr_0", NOW.minusSeconds(1), Set.of("wallet:read")));
      MoneiConnect connect = MoneiConnect.builder().issuer(fake.url()).clientId("mc_app").clientSecret("mcs_secret")
          .tokenStore(store).clock(clock).build();

      connect.wallet("u").me();          // the expired token is refreshed: mct_1 lives 5 s
      clock.now = NOW.plusSeconds(1);
      connect.wallet("u").me();
      clock.now = NOW.plusSeconds(2);
      connect.wallet("u").me();
      assertThat(fake.requests).extracting(FakeMonei.Request::path).containsExactly("/api/v1/connect/token",
          "/api/v1/wallet/me", "/api/v1/wallet/me", "/api/v1/wallet/me");
      assertThat(fake.requests.subList(1, 4)).extracting(r -> r.header("Authorization")).containsOnly("Bearer mct_1");

      clock.now = NOW.plusSeconds(4);   // within a quarter of the lifetime of expiry: refreshed ahead
      connect.wallet("u").me();
      assertThat(fake.requests.get(5).header("Authorization")).isEqualTo("Bearer mct_2");
    }
  }

  @Test
  void refreshSkewWhenLifetimeKnownThenAtMostAQuarterOfIt() {
    StoredTokens hour = new StoredTokens("a", "r", NOW.plusSeconds(3600), Set.of(), null, NOW);
    StoredTokens fiveSeconds = new StoredTokens("a", "r", NOW.plusSeconds(5), Set.of(), null, NOW);
    StoredTokens unknown = new StoredTokens("a", "r", NOW.plusSeconds(5), Set.of());
    assertThat(hour.refreshSkew(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    assertThat(fiveSeconds.refreshSkew(Duration.ofSeconds(60))).isEqualTo(Duration.ofMillis(1250));
    assertThat(unknown.refreshSkew(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
  }

  private static String page(List<String> ids, String next) {
    String data = ids.stream().map(id -> "{\"id\":\"" + id + "\",\"type\":\"receive\",\"amount\":\"1.00\","
        + "\"currency\":\"NGN\",\"status\":\"completed\",\"created_at\":\"2030-01-01T00:00:00Z\"}")
        .collect(Collectors.joining(","));
    return "{\"data\":[" + data + "],\"next_cursor\":" + (next == null ? "null" : "\"" + next + "\"") + "}";
  }

  private static MoneiConnect connected(FakeMonei fake) {
    InMemoryTokenStore store = new InMemoryTokenStore();
    store.save("u", new StoredTokens("mct_1", "mcr_1", NOW.plusSeconds(3600), Set.of("wallet:read")));
    return MoneiConnect.builder().issuer(fake.url()).clientId("mc_app").clientSecret("mcs_secret").tokenStore(store)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  private static final Map<String, String> PAGES = Map.of(
      "", page(List.of("t1", "t2"), "c2"),
      "c2", page(List.of("t3", "t4"), "c3"),
      "c3", page(List.of("t5"), null));

  private static FakeMonei pagingServer() {
    return FakeMonei.answering(r -> {
      Map<String, List<String>> query = Form.parse(r.query() == null ? "" : r.query());
      String cursor = query.getOrDefault("cursor", List.of("")).get(0);
      return FakeMonei.Response.json(200, PAGES.get(cursor));
    });
  }

  @Test
  void allTransactionsWhenThreePagesThenFollowsCursorsInOrder() {
    try (FakeMonei fake = pagingServer()) {
      assertThat(connected(fake).wallet("u").allTransactions(2).map(Transaction::id))
          .containsExactly("t1", "t2", "t3", "t4", "t5");
      assertThat(fake.requests).extracting(FakeMonei.Request::query)
          .containsExactly("limit=2", "limit=2&cursor=c2", "limit=2&cursor=c3");
    }
  }

  @Test
  void allTransactionsWhenOnlyFirstFewWantedThenFetchesOnlyThePagesNeeded() {
    try (FakeMonei fake = pagingServer()) {
      assertThat(connected(fake).wallet("u").allTransactions().limit(2).map(Transaction::id))
          .containsExactly("t1", "t2");
      assertThat(fake.requests).hasSize(1);
    }
  }

  @Test
  void allTransactionsWhenAPageFailsThenTheErrorSurfacesFromTheStream() {
    try (FakeMonei fake = FakeMonei.answering(r -> r.query() != null && r.query().contains("cursor")
        ? FakeMonei.Response.json(403, "{\"error\":\"insufficient_scope\",\"scope\":\"wallet:read\"}")
        : FakeMonei.Response.json(200, page(List.of("t1"), "c2")))) {
      assertThatThrownBy(() -> connected(fake).wallet("u").allTransactions().forEach(t -> { }))
          .isInstanceOf(InsufficientScopeException.class);
    }
  }
}
