package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small value types: StoredTokens, Grant, InMemoryTokenStore and SendMoney. */
class TokenValuesTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final StoredTokens TOKENS = new StoredTokens("mct_secretAccessValue", "mcr_secretRefreshValue",
      NOW.plusSeconds(3600), Set.of("wallet:read", "profile:read"));

  @Test
  void toStringWhenStoredTokensPrintedThenHidesBothTokens() {
    assertThat(TOKENS.toString()).doesNotContain("secretAccessValue").doesNotContain("secretRefreshValue")
        .doesNotContain("mct_").doesNotContain("mcr_").contains("[redacted]").contains("wallet:read");
  }

  @Test
  void expiresWithinWhenInsideTheSkewThenTrue() {
    assertThat(TOKENS.expiresWithin(Duration.ofSeconds(60), NOW.plusSeconds(3539))).isFalse();
    assertThat(TOKENS.expiresWithin(Duration.ofSeconds(60), NOW.plusSeconds(3540))).isTrue();
    assertThat(TOKENS.expiresWithin(Duration.ZERO, NOW.plusSeconds(3600))).isTrue();
  }

  @Test
  void grantWhenAskedThenKnowsGrantedAndMissingScopes() {
    Grant grant = TOKENS.grant("user-1");

    assertThat(grant.has(Scopes.WALLET_READ)).isTrue();
    assertThat(grant.has(Scopes.WALLET_SEND)).isFalse();
    assertThat(grant.hasAll(List.of(Scopes.WALLET_READ, Scopes.PROFILE_READ))).isTrue();
    assertThat(grant.missing(List.of(Scopes.WALLET_SEND, Scopes.WALLET_READ, "other:scope")))
        .containsExactly(Scopes.WALLET_SEND, "other:scope");
    assertThat(grant.missing(List.of(Scopes.WALLET_READ))).isEmpty();
    assertThatThrownBy(() -> grant.scopes().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void inMemoryTokenStoreWhenSavedLoadedDeletedThenBehavesAsAMap() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    store.save("u", TOKENS);
    assertThat(store.load("u")).contains(TOKENS);
    assertThat(store.load("other")).isEmpty();
    store.delete("u");
    store.delete("u");
    assertThat(store.load("u")).isEmpty();
  }

  @Test
  void sendMoneyWhenAmountGivenThenSentAsPlainDecimalString() {
    assertThat(SendMoney.of("a@b.c", new BigDecimal("250.50"), "NGN", null).amount()).isEqualTo("250.50");
    assertThat(SendMoney.of("a@b.c", new BigDecimal("1E+3"), "NGN", null).amount()).isEqualTo("1000");
    assertThat(SendMoney.of("a@b.c", " 0.10 ", "NGN", null).amount()).isEqualTo("0.10");
    assertThat(SendMoney.of("a@b.c", "250.50", "NGN", "Lunch").toJson())
        .isEqualTo("{\"to\":\"a@b.c\",\"amount\":\"250.50\",\"currency\":\"NGN\",\"note\":\"Lunch\"}");
    assertThatThrownBy(() -> SendMoney.of("a@b.c", "lots", "NGN", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
