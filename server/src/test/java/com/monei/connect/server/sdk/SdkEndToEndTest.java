package com.monei.connect.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.client.AuthorizationRequest;
import com.monei.connect.client.CallbackResult;
import com.monei.connect.client.Grant;
import com.monei.connect.client.GrantRevokedException;
import com.monei.connect.client.IdempotencyConflictException;
import com.monei.connect.client.InMemoryTokenStore;
import com.monei.connect.client.InsufficientFundsException;
import com.monei.connect.client.InsufficientScopeException;
import com.monei.connect.client.Metadata;
import com.monei.connect.client.MoneiConnect;
import com.monei.connect.client.RecipientNotFoundException;
import com.monei.connect.client.Scopes;
import com.monei.connect.client.SendLimitExceededException;
import com.monei.connect.client.SendMoney;
import com.monei.connect.client.StoredTokens;
import com.monei.connect.client.Transaction;
import com.monei.connect.client.TransactionPage;
import com.monei.connect.client.Wallet;
import com.monei.connect.client.WalletApi;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SDK against the real server over real HTTP: the browser part is driven by {@link MoneiTestClient},
 * the redirect's query goes to {@link MoneiConnect#handleCallback}, and every API call goes through
 * the SDK. The SDK shares the server's clock, so {@link TestServer#advance} expires tokens for both.
 */
@WithTestServer
class SdkEndToEndTest {
  private static final List<String> WALLET_AND_PROFILE = List.of(Scopes.WALLET_READ, Scopes.PROFILE_READ);

  static TestServer server;
  static MoneiTestClient tokens;
  static final MoneiTestClient http = new MoneiTestClient();

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
  }

  private static MoneiConnect sdk(TestServer srv, TestServer.TestApp app, InMemoryTokenStore store) {
    return MoneiConnect.builder().issuer(srv.issuer()).clientId(app.clientId()).clientSecret(app.clientSecret())
        .redirectUri(app.redirectUri()).tokenStore(store).clock(srv.clock).build();
  }

  /** Signs {@code user} in, opens the SDK's authorization URL, submits the consent form; the redirect's raw query. */
  private static String browse(TestServer srv, User user, AuthorizationRequest request, String decision,
      List<String> ticked, String... extraFields) {
    MoneiTestClient flow = new MoneiTestClient(srv).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(request.url().toString());
    HttpResponse<String> redirect = flow.submitConsent(screen, decision, ticked, extraFields);
    assertThat(redirect.statusCode()).as("consent answer: %s", redirect.body()).isEqualTo(303);
    return URI.create(redirect.headers().firstValue("Location").orElseThrow()).getRawQuery();
  }

  /** The whole flow through the SDK, approving {@code ticked}; the approved grant. */
  private static Grant connect(TestServer srv, MoneiConnect sdk, User user, String userKey, List<String> requested,
      List<String> ticked, String... extraFields) {
    AuthorizationRequest request = sdk.authorizationRequest(requested);
    CallbackResult result = sdk.handleCallback(browse(srv, user, request, "allow", ticked, extraFields), request,
        userKey);
    assertThat(result).isInstanceOf(CallbackResult.Approved.class);
    return ((CallbackResult.Approved) result).grant();
  }

  private static long audit(TestServer srv, String event, String clientId) {
    return srv.services().db.read("SELECT COUNT(*) AS n FROM audit_events WHERE event = ? AND client_id = ?",
        rs -> rs.next() ? rs.getLong("n") : 0L, event, clientId);
  }

  private static HttpResponse<String> revoke(TestServer.TestApp app, String token) {
    return http.post(server.url() + "/api/v1/connect/revoke", "application/x-www-form-urlencoded",
        "token=" + MoneiTestClient.enc(token), "Authorization",
        MoneiTestClient.basic(app.clientId(), app.clientSecret()));
  }

  private static HttpResponse<String> refreshDirectly(TestServer.TestApp app, String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    return tokens.tokenPostForm(form, "Authorization", MoneiTestClient.basic(app.clientId(), app.clientSecret()));
  }

  @Test
  void handleCallbackWhenUserApprovesThenGrantHasTheScopesAndTypedCallsWork() {
    User user = server.user();
    server.credit(user, "NGN", "1500.00");
    TestServer.TestApp app = server.app().create();
    MoneiConnect sdk = sdk(server, app, new InMemoryTokenStore());

    Grant grant = connect(server, sdk, user, "app-user-1", WALLET_AND_PROFILE, WALLET_AND_PROFILE);

    assertThat(grant.has(Scopes.WALLET_READ)).isTrue();
    assertThat(grant.has(Scopes.PROFILE_READ)).isTrue();
    assertThat(grant.has(Scopes.WALLET_SEND)).isFalse();
    assertThat(grant.missing(WALLET_AND_PROFILE)).isEmpty();
    assertThat(sdk.grant("app-user-1")).contains(grant);
    Wallet wallet = sdk.wallet("app-user-1").me();
    assertThat(wallet.walletId()).isNotBlank();
    assertThat(wallet.balance("NGN")).get().satisfies(b -> {
      assertThat(b.availableText()).isEqualTo("1500.00");
      assertThat(b.available()).isEqualByComparingTo(new BigDecimal("1500"));
    });
    assertThat(sdk.profile("app-user-1").me().email()).isEqualTo(user.email());
  }

  @Test
  void handleCallbackWhenUserUnticksWalletReadThenGrantMissesItAndWalletCallNamesTheScope() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiConnect sdk = sdk(server, app, new InMemoryTokenStore());

    Grant grant = connect(server, sdk, user, "u", WALLET_AND_PROFILE, List.of(Scopes.PROFILE_READ));

    assertThat(grant.scopes()).containsExactly(Scopes.PROFILE_READ);
    assertThat(grant.missing(WALLET_AND_PROFILE)).containsExactly(Scopes.WALLET_READ);
    assertThatThrownBy(() -> sdk.wallet("u").me()).isInstanceOfSatisfying(InsufficientScopeException.class, e -> {
      assertThat(e.status()).isEqualTo(403);
      assertThat(e.error()).isEqualTo("insufficient_scope");
      assertThat(e.scope()).isEqualTo(Scopes.WALLET_READ);
    });
    assertThat(sdk.profile("u").me().email()).isEqualTo(user.email());
  }

  @Test
  void handleCallbackWhenUserDeniesThenDeniedAndNothingStored() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiConnect sdk = sdk(server, app, new InMemoryTokenStore());
    AuthorizationRequest request = sdk.authorizationRequest(WALLET_AND_PROFILE);

    CallbackResult result = sdk.handleCallback(browse(server, user, request, "deny", List.of()), request, "u");

    assertThat(result).isInstanceOf(CallbackResult.Denied.class);
    assertThat(sdk.grant("u")).isEmpty();
  }

  @Test
  void handleCallbackWhenStateDoesNotMatchThenStateMismatchAndTheCodeIsNotExchanged() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiConnect sdk = sdk(server, app, new InMemoryTokenStore());
    AuthorizationRequest request = sdk.authorizationRequest(WALLET_AND_PROFILE);
    Map<String, String> callback = MoneiTestClient.query("/cb?" + browse(server, user, request, "allow",
        WALLET_AND_PROFILE));
    Map<String, String> forged = new LinkedHashMap<>(callback);
    forged.put("state", "attacker-" + request.state());

    CallbackResult result = sdk.handleCallback(forged, request, "u");

    assertThat(result).isEqualTo(new CallbackResult.StateMismatch());
    assertThat(sdk.grant("u")).isEmpty();
    // The code was never redeemed: it still works, once, for whoever holds the verifier.
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", callback.get("code"));
    form.put("redirect_uri", app.redirectUri());
    form.put("code_verifier", request.codeVerifier());
    HttpResponse<String> exchange = tokens.tokenPostForm(form, "Authorization",
        MoneiTestClient.basic(app.clientId(), app.clientSecret()));
    assertThat(exchange.statusCode()).as(exchange.body()).isEqualTo(200);
  }

  /** How the stored access token stops working behind the SDK's back. */
  private interface Breakage {
    void apply(TestServer.TestApp app, StoredTokens stored);
  }

  static Stream<Arguments> brokenAccessTokens() {
    return Stream.of(
        Arguments.of(Named.of("expired: refreshed before the call", (Breakage) (app, stored) ->
            server.advance(Duration.ofSeconds(3600)))),
        Arguments.of(Named.of("revoked: refreshed on the 401", (Breakage) (app, stored) -> {
          assertThat(revoke(app, stored.accessToken()).statusCode()).isEqualTo(200);
          assertThat(tokens.api("/api/v1/wallet/me", stored.accessToken()).statusCode()).isEqualTo(401);
        })));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenAccessTokens")
  void walletMeWhenAccessTokenExpiredOrRevokedThenRefreshesTransparently(Breakage breakage) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    InMemoryTokenStore store = new InMemoryTokenStore();
    MoneiConnect sdk = sdk(server, app, store);
    connect(server, sdk, user, "u", WALLET_AND_PROFILE, WALLET_AND_PROFILE);
    StoredTokens before = store.load("u").orElseThrow();
    breakage.apply(app, before);

    Wallet wallet = sdk.wallet("u").me();

    assertThat(wallet.walletId()).isNotBlank();
    StoredTokens after = store.load("u").orElseThrow();
    assertThat(after.accessToken()).isNotEqualTo(before.accessToken());
    assertThat(after.refreshToken()).as("rotated refresh token saved").isNotEqualTo(before.refreshToken());
    assertThat(after.expiresAt()).isEqualTo(server.clock.instant().plusSeconds(3600));
    assertThat(audit(server, "token.refreshed", app.clientId())).isEqualTo(1);
  }

  @Test
  void walletMeWhenSixteenThreadsFindTheTokenExpiredThenOneRefreshAndNoReuse() throws Exception {
    // Own server, no grace window: a second refresh with the same token would revoke the whole family.
    try (TestServer strict = TestServer.start(c -> c.withRefreshGrace(Duration.ZERO))) {
      User user = strict.user();
      strict.credit(user, "NGN", "10.00");
      TestServer.TestApp app = strict.app().create();
      MoneiConnect sdk = sdk(strict, app, new InMemoryTokenStore());
      connect(strict, sdk, user, "u", WALLET_AND_PROFILE, WALLET_AND_PROFILE);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        for (int round = 1; round <= 3; round++) {
          strict.advance(Duration.ofSeconds(3601));
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Wallet>> calls = new ArrayList<>();
          for (int i = 0; i < 16; i++) calls.add(pool.submit(() -> {
            go.await();
            return sdk.wallet("u").me();
          }));
          go.countDown();
          for (Future<Wallet> call : calls)
            assertThat(call.get(30, TimeUnit.SECONDS).balance("NGN")).isPresent();

          assertThat(audit(strict, "token.refreshed", app.clientId())).as("refreshes after round %d", round)
              .isEqualTo(round);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(audit(strict, "token.refresh_reuse_detected", app.clientId())).isZero();
    }
  }

  @Test
  void disconnectWhenConnectedThenGrantGoneTokensRefusedAndConsentForgotten() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    InMemoryTokenStore store = new InMemoryTokenStore();
    MoneiConnect sdk = sdk(server, app, store);
    connect(server, sdk, user, "u", WALLET_AND_PROFILE, WALLET_AND_PROFILE);
    StoredTokens old = store.load("u").orElseThrow();

    sdk.disconnect("u");

    assertThat(sdk.grant("u")).isEmpty();
    assertThat(tokens.api("/api/v1/wallet/me", old.accessToken()).statusCode()).isEqualTo(401);
    HttpResponse<String> refresh = refreshDirectly(app, old.refreshToken());
    assertThat(MoneiTestClient.json(refresh).get("error").asText()).isEqualTo("invalid_grant");
    assertThatThrownBy(() -> sdk.wallet("u").me()).isInstanceOf(GrantRevokedException.class);
    // The consent was forgotten with the last token family: connecting again asks the user again.
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.openConsent(sdk.authorizationRequest(WALLET_AND_PROFILE).url().toString());
  }

  @Test
  void walletMeWhenGrantRevokedBehindTheAppsBackThenGrantRevokedExceptionAndTokensDeleted() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    InMemoryTokenStore store = new InMemoryTokenStore();
    MoneiConnect sdk = sdk(server, app, store);
    connect(server, sdk, user, "u", WALLET_AND_PROFILE, WALLET_AND_PROFILE);
    assertThat(revoke(app, store.load("u").orElseThrow().refreshToken()).statusCode()).isEqualTo(200);

    assertThatThrownBy(() -> sdk.wallet("u").me()).isInstanceOfSatisfying(GrantRevokedException.class,
        e -> assertThat(e.error()).isEqualTo("invalid_grant"));
    assertThat(sdk.grant("u")).isEmpty();
  }

  @Test
  void handleCallbackWhenMissingScopeRequestedLaterThenGrantHasBothAndTheReplacedGrantIsRevoked() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    InMemoryTokenStore store = new InMemoryTokenStore();
    MoneiConnect sdk = sdk(server, app, store);
    Grant first = connect(server, sdk, user, "u", WALLET_AND_PROFILE, List.of(Scopes.PROFILE_READ));
    StoredTokens replaced = store.load("u").orElseThrow();

    AuthorizationRequest more = sdk.authorizationRequest(first.missing(WALLET_AND_PROFILE));
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(more.url().toString());
    assertThat(screen.offeredScopes()).containsExactly(Scopes.WALLET_READ);
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of(Scopes.WALLET_READ));
    CallbackResult result = sdk.handleCallback(MoneiTestClient.query(redirect), more, "u");

    assertThat(result).isInstanceOf(CallbackResult.Approved.class);
    assertThat(((CallbackResult.Approved) result).grant().scopes())
        .containsExactlyInAnyOrder(Scopes.WALLET_READ, Scopes.PROFILE_READ);
    assertThat(sdk.wallet("u").me().walletId()).isNotBlank();
    assertThat(MoneiTestClient.json(refreshDirectly(app, replaced.refreshToken())).get("error").asText())
        .as("the replaced grant's refresh token").isEqualTo("invalid_grant");

    sdk.disconnect("u");
    new MoneiTestClient(server).signIn(user)
        .openConsent(sdk.authorizationRequest(Scopes.PROFILE_READ).url().toString());
  }

  @Test
  void handleCallbackWhenPromptConsentAndUserWithdrawsAScopeThenGrantAndTokensLoseIt() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    InMemoryTokenStore store = new InMemoryTokenStore();
    MoneiConnect sdk = sdk(server, app, store);
    connect(server, sdk, user, "u", WALLET_AND_PROFILE, WALLET_AND_PROFILE);
    StoredTokens replaced = store.load("u").orElseThrow();

    AuthorizationRequest review = sdk.authorizationRequest(WALLET_AND_PROFILE, AuthorizationRequest.Prompt.CONSENT);
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(review.url().toString());
    assertThat(screen.offeredScopes()).containsExactlyInAnyOrderElementsOf(WALLET_AND_PROFILE);
    CallbackResult result = sdk.handleCallback(
        MoneiTestClient.query(flow.submitConsent(screen, "allow", List.of(Scopes.PROFILE_READ))), review, "u");

    assertThat(result).isInstanceOf(CallbackResult.Approved.class);
    assertThat(((CallbackResult.Approved) result).grant().missing(WALLET_AND_PROFILE))
        .containsExactly(Scopes.WALLET_READ);
    assertThatThrownBy(() -> sdk.wallet("u").me()).isInstanceOf(InsufficientScopeException.class);
    // The replaced tokens still carried wallet:read; the SDK revoked them.
    assertThat(tokens.api("/api/v1/wallet/me", replaced.accessToken()).statusCode()).isEqualTo(401);
  }

  /** A sender with NGN 1000.00 who granted wallet:read and wallet:send with {@code limit}, and a recipient. */
  private record SendSetup(MoneiConnect sdk, User sender, User recipient) {}

  private static SendSetup sendSetup(String limit) {
    User sender = server.user();
    User recipient = server.user();
    server.credit(sender, "NGN", "1000.00");
    TestServer.TestApp app = server.app().create();
    MoneiConnect sdk = sdk(server, app, new InMemoryTokenStore());
    connect(server, sdk, sender, "sender", List.of(Scopes.WALLET_READ, Scopes.WALLET_SEND),
        List.of(Scopes.WALLET_READ, Scopes.WALLET_SEND), "send_limit", limit, "send_limit_currency", "NGN");
    return new SendSetup(sdk, sender, recipient);
  }

  private static String balance(MoneiConnect sdk) {
    return sdk.wallet("sender").me().balance("NGN").orElseThrow().availableText();
  }

  @Test
  void sendWhenIdempotencyKeyRepeatedThenOneTransferAndHistoryPagesThroughIt() {
    SendSetup s = sendSetup("5000.00");
    String key = UUID.randomUUID().toString();
    SendMoney lunch = SendMoney.of(s.recipient().email(), new BigDecimal("250.50"), "NGN", "Lunch");

    Transaction sent = s.sdk().wallet("sender").send(lunch, key);
    Transaction again = s.sdk().wallet("sender").send(lunch, key);
    s.sdk().wallet("sender").send(SendMoney.of(s.recipient().email(), "10.00", "NGN", null),
        UUID.randomUUID().toString());

    assertThat(sent.type()).isEqualTo(Transaction.SEND);
    assertThat(sent.amountText()).isEqualTo("250.50");
    assertThat(sent.counterparty().name()).isNotBlank();
    assertThat(again.id()).isEqualTo(sent.id());
    assertThat(balance(s.sdk())).isEqualTo("739.50");
    TransactionPage first = s.sdk().wallet("sender").transactions(1, null);
    assertThat(first.data()).singleElement().extracting(Transaction::amountText).isEqualTo("10.00");
    assertThat(first.hasMore()).isTrue();
    TransactionPage second = s.sdk().wallet("sender").transactions(1, first.nextCursor());
    assertThat(second.data()).singleElement().extracting(Transaction::id).isEqualTo(sent.id());
  }

  /** A send the server refuses, made by the sender of a {@link SendSetup}; the key is fresh per case. */
  private interface RefusedSend {
    void send(WalletApi wallet, User recipient, String key);
  }

  static Stream<Arguments> refusedSends() {
    return Stream.of(
        Arguments.of(Named.of("more than the balance", "5000.00"), (RefusedSend) (wallet, recipient, key) ->
            assertThatThrownBy(() -> wallet.send(SendMoney.of(recipient.email(), "2000.00", "NGN", null), key))
                .isInstanceOfSatisfying(InsufficientFundsException.class, e -> {
                  assertThat(e.status()).isEqualTo(422);
                  assertThat(e.error()).isEqualTo("insufficient_funds");
                })),
        Arguments.of(Named.of("same idempotency key, different body", "5000.00"),
            (RefusedSend) (wallet, recipient, key) -> {
              assertThatThrownBy(() -> wallet.send(SendMoney.of(recipient.email(), "2000.00", "NGN", null), key))
                  .isInstanceOf(InsufficientFundsException.class);
              assertThatThrownBy(() -> wallet.send(SendMoney.of(recipient.email(), "1.00", "NGN", null), key))
                  .as("same key, different body").isInstanceOf(IdempotencyConflictException.class);
            }),
        Arguments.of(Named.of("unknown recipient", "5000.00"), (RefusedSend) (wallet, recipient, key) ->
            assertThatThrownBy(() -> wallet.send(SendMoney.of("nobody-" + UUID.randomUUID() + "@monei.test", "1.00",
                "NGN", null), key)).isInstanceOf(RecipientNotFoundException.class)),
        Arguments.of(Named.of("over the send limit", "100.00"), (RefusedSend) (wallet, recipient, key) ->
            assertThatThrownBy(() -> wallet.send(SendMoney.of(recipient.email(), "150.00", "NGN", null), key))
                .isInstanceOfSatisfying(SendLimitExceededException.class, e -> {
                  assertThat(e.status()).isEqualTo(403);
                  assertThat(e.error()).isEqualTo("send_limit_exceeded");
                })));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedSends")
  void sendWhenServerRefusesThenTypedExceptionAndNothingMoved(String limit, RefusedSend refused) {
    SendSetup s = sendSetup(limit);

    refused.send(s.sdk().wallet("sender"), s.recipient(), UUID.randomUUID().toString());

    assertThat(balance(s.sdk())).isEqualTo("1000.00");
  }

  @Test
  void handleCallbackWhenPublicAppUsesPkceThenFullFlowAndRefreshWork() {
    User user = server.user();
    TestServer.TestApp app = server.app().publicClient().create();
    assertThat(app.clientSecret()).isNull();
    MoneiConnect sdk = MoneiConnect.builder().issuer(server.issuer()).clientId(app.clientId())
        .redirectUri(app.redirectUri()).clock(server.clock).build();

    Grant grant = connect(server, sdk, user, "u", WALLET_AND_PROFILE, WALLET_AND_PROFILE);
    server.advance(Duration.ofSeconds(3600));

    assertThat(grant.has(Scopes.PROFILE_READ)).isTrue();
    assertThat(sdk.profile("u").me().email()).isEqualTo(user.email());
    assertThat(audit(server, "token.refreshed", app.clientId())).isEqualTo(1);
    sdk.disconnect("u");
    assertThat(sdk.grant("u")).isEmpty();
  }

  @Test
  void discoverWhenServerPublishesMetadataThenSdkUsesItsEndpoints() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    Metadata metadata = MoneiConnect.discover(URI.create(server.issuer()));

    assertThat(metadata.issuer().toString()).isEqualTo(server.issuer());
    assertThat(metadata.tokenEndpoint().toString()).isEqualTo(server.issuer() + "/api/v1/connect/token");
    assertThat(metadata.codeChallengeMethodsSupported()).contains("S256");
    assertThat(metadata.issParameterSupported()).isTrue();
    MoneiConnect sdk = MoneiConnect.builder().metadata(metadata).clientId(app.clientId())
        .clientSecret(app.clientSecret()).redirectUri(app.redirectUri()).clock(server.clock).build();
    assertThat(connect(server, sdk, user, "u", WALLET_AND_PROFILE, WALLET_AND_PROFILE).has(Scopes.WALLET_READ))
        .isTrue();
  }
}
