package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sends the user confirms (SPEC 1.4, 1.6, 5): the grant's send limit from the token response's
 * authorization details, the typed confirmation errors, the retry with the same key, and the limits call.
 */
class SendConfirmationTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final SendMoney LUNCH = SendMoney.of("friend@example.com", "120.00", "NGN", "Lunch");
  /**
   * A StoredTokens as an SDK without send limits serialized it (Java serialization of the record with
   * its four components: mct_old, mcr_old, 2030-01-01T01:00:00Z, wallet:read and wallet:send).
   */
  private static final String OLD_STORED_TOKENS =
      "rO0ABXNyACVjb20ubW9uZWkuY29ubmVjdC5jbGllbnQuU3RvcmVkVG9rZW5zAAAAAAAAAAACAARMAAthY2Nlc3NUb2tlbnQA"
      + "EkxqYXZhL2xhbmcvU3RyaW5nO0wACWV4cGlyZXNBdHQAE0xqYXZhL3RpbWUvSW5zdGFudDtMAAxyZWZyZXNoVG9rZW5xAH4A"
      + "AUwABnNjb3Blc3QAD0xqYXZhL3V0aWwvU2V0O3hwdAAHbWN0X29sZHNyAA1qYXZhLnRpbWUuU2VylV2EuhsiSLIMAAB4cHcN"
      + "AgAAAABw2+aQAAAAAHh0AAdtY3Jfb2xkc3IAK2phdmEudXRpbC5Db2xsZWN0aW9ucyRVbm1vZGlmaWFibGVTb3J0ZWRTZXS7"
      + "mCSP6+zvAwIAAUwAAnNzdAAVTGphdmEvdXRpbC9Tb3J0ZWRTZXQ7eHIAJWphdmEudXRpbC5Db2xsZWN0aW9ucyRVbm1vZGlm"
      + "aWFibGVTZXSAHZLRj5uAVQIAAHhyACxqYXZhLnV0aWwuQ29sbGVjdGlvbnMkVW5tb2RpZmlhYmxlQ29sbGVjdGlvbhlCAIDL"
      + "XvceAgABTAABY3QAFkxqYXZhL3V0aWwvQ29sbGVjdGlvbjt4cHNyABFqYXZhLnV0aWwuVHJlZVNldN2YUJOV7YdbAwAAeHBw"
      + "dwQAAAACdAALd2FsbGV0OnJlYWR0AAt3YWxsZXQ6c2VuZHhxAH4AEA==";

  private static MoneiConnect connect(FakeMonei fake, TokenStore store) {
    return MoneiConnect.builder().issuer(fake.url()).clientId("mc_app").clientSecret("mcs_secret")
        .redirectUri("http://localhost:3000/monei/callback").tokenStore(store)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  private static Grant approve(MoneiConnect connect, String... scopes) {
    AuthorizationRequest pending = connect.authorizationRequest(scopes);
    CallbackResult result = connect.handleCallback(Map.of("code", "c", "state", pending.state()), pending, "u");
    assertThat(result).isInstanceOf(CallbackResult.Approved.class);
    return ((CallbackResult.Approved) result).grant();
  }

  private static InMemoryTokenStore storeWithSendGrant() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    store.save("u", new StoredTokens("mct_1", "mcr_1", NOW.plusSeconds(3600), Set.of("wallet:read", "wallet:send")));
    return store;
  }

  @Test
  void handleCallbackWhenTokenResponseCarriesSendDetailsThenGrantKnowsLimitAndThreshold() {
    String body = FakeMonei.tokenBody("mct_1", "mcr_1", List.of("wallet:send"),
        FakeMonei.sendDetails("1000.00", "NGN", "50.00"));
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(200, body))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      MoneiConnect connect = connect(fake, store);

      Grant grant = approve(connect, Scopes.WALLET_SEND);

      SendLimit limit = grant.sendLimit().orElseThrow();
      assertThat(limit.amount()).isEqualByComparingTo("1000.00");
      assertThat(limit.currency()).isEqualTo("NGN");
      assertThat(limit.windowHours()).isEqualTo(24);
      assertThat(limit.confirmAbove()).get().satisfies(a -> assertThat(a).isEqualByComparingTo("50.00"));
      assertThat(limit.needsConfirmation(new BigDecimal("50.00"))).isFalse();
      assertThat(limit.needsConfirmation(new BigDecimal("50.01"))).isTrue();
      assertThat(store.load("u").orElseThrow().sendLimit()).isEqualTo(limit);
      assertThat(connect.grant("u").orElseThrow().sendLimit()).contains(limit);
    }
  }

  @Test
  void handleCallbackWhenConfirmAboveIsNullThenLimitWithoutThreshold() {
    String body = FakeMonei.tokenBody("mct_1", "mcr_1", List.of("wallet:send"),
        FakeMonei.sendDetails("250.00", "KES", null));
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(200, body))) {
      Grant grant = approve(connect(fake, new InMemoryTokenStore()), Scopes.WALLET_SEND);

      assertThat(grant.sendLimit()).get().extracting(SendLimit::currency, SendLimit::confirmAbove)
          .containsExactly("KES", Optional.empty());
      assertThat(grant.sendLimit().orElseThrow().needsConfirmation(new BigDecimal("1000000"))).isFalse();
    }
  }

  @Test
  void handleCallbackWhenNoWalletSendThenNoSendLimit() {
    String body = FakeMonei.tokenBody("mct_1", "mcr_1", List.of("wallet:read"), null);
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(200, body))) {
      Grant grant = approve(connect(fake, new InMemoryTokenStore()), Scopes.WALLET_READ);

      assertThat(grant.sendLimit()).isEmpty();
    }
  }

  @Test
  void handleCallbackWhenDetailsHoldOtherTypesThenOnlyMoneiSendCounts() {
    String details = "[{\"type\":\"payment_initiation\",\"limit\":\"anything\"},"
        + FakeMonei.sendDetails("10.00", "NGN", "5.00").substring(1);
    String body = FakeMonei.tokenBody("mct_1", "mcr_1", List.of("wallet:send"), details);
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(200, body))) {
      Grant grant = approve(connect(fake, new InMemoryTokenStore()), Scopes.WALLET_SEND);

      assertThat(grant.sendLimit()).get().extracting(SendLimit::amount).isEqualTo(new BigDecimal("10.00"));
    }
  }

  @Test
  void handleCallbackWhenSendDetailIsMalformedThenFailedAndNothingStored() {
    String body = FakeMonei.tokenBody("mct_1", "mcr_1", List.of("wallet:send"),
        "[{\"type\":\"monei_send\",\"limit\":{\"amount\":\"lots\",\"currency\":\"NGN\"}}]");
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(200, body))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      MoneiConnect connect = connect(fake, store);
      AuthorizationRequest pending = connect.authorizationRequest(Scopes.WALLET_SEND);

      CallbackResult result = connect.handleCallback(Map.of("code", "c", "state", pending.state()), pending, "u");

      assertThat(result).isInstanceOf(CallbackResult.Failed.class).extracting("error")
          .isEqualTo(ErrorCodes.SERVER_ERROR);
      assertThat(store.size()).isZero();
    }
  }

  @Test
  void refreshWhenResponseStatesALowerLimitThenTheStoredGrantFollows() {
    String body = FakeMonei.tokenBody("mct_2", "mcr_2", List.of("wallet:read", "wallet:send"),
        FakeMonei.sendDetails("300.00", "NGN", "20.00"));
    String wallet = "{\"wallet_id\":\"wal_1\",\"balances\":[],\"updated_at\":\"2030-01-01T00:00:00Z\"}";
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(200,
        r.path().endsWith("/token") ? body : wallet))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      store.save("u", new StoredTokens("mct_1", "mcr_1", NOW.minusSeconds(1), Set.of("wallet:read", "wallet:send"),
          SendLimit.of(new BigDecimal("1000.00"), "NGN", 24, null)));
      MoneiConnect connect = connect(fake, store);

      connect.wallet("u").me();

      assertThat(connect.grant("u").orElseThrow().sendLimit()).contains(
          SendLimit.of(new BigDecimal("300.00"), "NGN", 24, new BigDecimal("20.00")));
    }
  }

  @Test
  void sendWhenAboveThresholdThenConfirmationRequiredWithUrlIdAndExpiry() {
    FakeMonei.ConfirmingWallet wallet = new FakeMonei.ConfirmingWallet("1000.00", "NGN", "50.00");
    try (FakeMonei fake = FakeMonei.answering(wallet)) {
      MoneiConnect connect = connect(fake, storeWithSendGrant());

      assertThatThrownBy(() -> connect.wallet("u").send(LUNCH, "key-1"))
          .isInstanceOfSatisfying(ConfirmationRequiredException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.error()).isEqualTo(ErrorCodes.CONFIRMATION_REQUIRED);
            assertThat(e.confirmationId()).isEqualTo("cfm_1");
            assertThat(e.confirmationUrl()).isEqualTo(URI.create(fake.url() + "/confirm/cfm_1"));
            assertThat(e.expiresAt()).isEqualTo(NOW.plusSeconds(600));
            assertThat(e.description()).isEqualTo("Confirm it in Monei.");
          })
          .isInstanceOf(MoneiApiException.class)
          .isNotInstanceOf(InsufficientScopeException.class);
      assertThat(wallet.executed).hasValue(0);
    }
  }

  @Test
  void sendWhenRetriedWithTheSameKeyThenSameConfirmationUntilConfirmedThenExecutesOnce() {
    FakeMonei.ConfirmingWallet wallet = new FakeMonei.ConfirmingWallet("1000.00", "NGN", "50.00");
    try (FakeMonei fake = FakeMonei.answering(wallet)) {
      WalletApi api = connect(fake, storeWithSendGrant()).wallet("u");
      ConfirmationRequiredException first = catchConfirmation(() -> api.send(LUNCH, "key-1"));
      ConfirmationRequiredException again = catchConfirmation(() -> api.send(LUNCH, "key-1"));
      assertThat(again.confirmationId()).isEqualTo(first.confirmationId());

      wallet.confirm(first.confirmationId());
      Transaction sent = api.send(LUNCH, "key-1");
      Transaction repeated = api.send(LUNCH, "key-1");

      assertThat(sent.amount()).isEqualByComparingTo("120.00");
      assertThat(repeated.id()).isEqualTo(sent.id());
      assertThat(wallet.executed).hasValue(1);
      assertThat(fake.requests).extracting(r -> r.header("Idempotency-Key")).containsOnly("key-1");
      assertThat(catchConfirmation(() -> api.send(LUNCH, "key-2")).confirmationId())
          .as("a new key is a new send").isNotEqualTo(first.confirmationId());
    }
  }

  @Test
  void sendWhenUserRejectedThenConfirmationRejectedAndNothingMoves() {
    FakeMonei.ConfirmingWallet wallet = new FakeMonei.ConfirmingWallet("1000.00", "NGN", "50.00");
    try (FakeMonei fake = FakeMonei.answering(wallet)) {
      WalletApi api = connect(fake, storeWithSendGrant()).wallet("u");
      wallet.reject(catchConfirmation(() -> api.send(LUNCH, "key-1")).confirmationId());

      assertThatThrownBy(() -> api.send(LUNCH, "key-1")).isExactlyInstanceOf(ConfirmationRejectedException.class)
          .extracting("status", "error").containsExactly(403, ErrorCodes.CONFIRMATION_REJECTED);
      assertThat(wallet.executed).hasValue(0);
    }
  }

  @Test
  void sendWhenBelowThresholdThenCompletesAtOnce() {
    FakeMonei.ConfirmingWallet wallet = new FakeMonei.ConfirmingWallet("1000.00", "NGN", "50.00");
    try (FakeMonei fake = FakeMonei.answering(wallet)) {
      Transaction sent = connect(fake, storeWithSendGrant()).wallet("u")
          .send(SendMoney.of("friend@example.com", "50.00", "NGN", null), "key-1");

      assertThat(sent.amountText()).isEqualTo("50.00");
      assertThat(wallet.executed).hasValue(1);
    }
  }

  @Test
  void sendWhenConfirmationIsIncompleteOrOnAnotherOriginThenAPlainApiError() {
    List<String> bodies = List.of(
        "{\"error\":\"confirmation_required\",\"confirmation_id\":\"cfm_1\","
            + "\"confirmation_url\":\"https://evil.example/confirm/cfm_1\",\"expires_in\":600}",
        "{\"error\":\"confirmation_required\",\"confirmation_id\":\"cfm_1\",\"expires_in\":600}",
        "{\"error\":\"confirmation_required\",\"confirmation_id\":\"cfm_1\","
            + "\"confirmation_url\":\"javascript:alert(1)\",\"expires_in\":600}",
        "{\"error\":\"confirmation_required\",\"confirmation_id\":\"cfm_1\","
            + "\"confirmation_url\":\"http://127.0.0.1:1/confirm/cfm_1\",\"expires_in\":\"soon\"}");
    for (String body : bodies) {
      try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(403, body))) {
        assertThatThrownBy(() -> connect(fake, storeWithSendGrant()).wallet("u").send(LUNCH, "key-1"))
            .as(body).isExactlyInstanceOf(MoneiApiException.class)
            .extracting("error").isEqualTo(ErrorCodes.CONFIRMATION_REQUIRED);
      }
    }
  }

  @Test
  void limitsWhenAskedThenWhatIsUsedAndLeft() {
    FakeMonei.ConfirmingWallet wallet = new FakeMonei.ConfirmingWallet("1000.00", "NGN", "50.00");
    try (FakeMonei fake = FakeMonei.answering(wallet)) {
      WalletApi api = connect(fake, storeWithSendGrant()).wallet("u");
      api.send(SendMoney.of("friend@example.com", "30.00", "NGN", null), "key-1");

      SendLimits limits = api.limits();

      assertThat(limits.currency()).isEqualTo("NGN");
      assertThat(limits.limit()).isEqualByComparingTo("1000.00");
      assertThat(limits.used()).isEqualByComparingTo("30.00");
      assertThat(limits.remaining()).isEqualByComparingTo("970.00");
      assertThat(limits.windowHours()).isEqualTo(24);
      assertThat(limits.confirmAbove()).get().satisfies(a -> assertThat(a).isEqualByComparingTo("50.00"));
      assertThat(limits.needsConfirmation(new BigDecimal("50.01"))).isTrue();
      assertThat(fake.requests.get(1).method() + " " + fake.requests.get(1).path())
          .isEqualTo("GET /api/v1/wallet/limits");
    }
  }

  @Test
  void limitsWhenNoThresholdThenConfirmAboveEmpty() {
    try (FakeMonei fake = FakeMonei.answering(new FakeMonei.ConfirmingWallet("500.00", "GHS", null))) {
      SendLimits limits = connect(fake, storeWithSendGrant()).wallet("u").limits();

      assertThat(limits.confirmAbove()).isEmpty();
      assertThat(limits.remaining()).isEqualByComparingTo("500.00");
    }
  }

  @Test
  void loadWhenTokensWereStoredBeforeSendLimitsThenStillReadWithoutOne() throws Exception {
    StoredTokens old;
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(Base64.getDecoder().decode(OLD_STORED_TOKENS)))) {
      old = (StoredTokens) in.readObject();
    }
    InMemoryTokenStore store = new InMemoryTokenStore();
    store.save("u", old);

    try (FakeMonei fake = FakeMonei.tripwire()) {
      Grant grant = connect(fake, store).grant("u").orElseThrow();

      assertThat(old.accessToken()).isEqualTo("mct_old");
      assertThat(old.sendLimit()).isNull();
      assertThat(grant.scopes()).containsExactly("wallet:read", "wallet:send");
      assertThat(grant.sendLimit()).isEmpty();
    }
  }

  @Test
  void serializeWhenTokensCarryASendLimitThenItSurvives() throws Exception {
    StoredTokens tokens = new StoredTokens("mct_1", "mcr_1", NOW, Set.of("wallet:send"),
        SendLimit.of(new BigDecimal("1000.00"), "NGN", 24, new BigDecimal("50.00")));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(tokens);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(tokens);
    }
    assertThat(tokens.toString()).contains("NGN 1000.00").doesNotContain("mct_1");
  }

  private static ConfirmationRequiredException catchConfirmation(Runnable send) {
    try {
      send.run();
    } catch (ConfirmationRequiredException e) {
      return e;
    }
    throw new AssertionError("expected confirmation_required");
  }
}
