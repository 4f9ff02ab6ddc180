package com.monei.connect.client.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.client.AuthorizationRequest;
import com.monei.connect.client.CallbackResult;
import com.monei.connect.client.ConfirmationRequiredException;
import com.monei.connect.client.GrantRevokedException;
import com.monei.connect.client.InMemoryTokenStore;
import com.monei.connect.client.InsufficientScopeException;
import com.monei.connect.client.MoneiApiException;
import com.monei.connect.client.MoneiConnect;
import com.monei.connect.client.Profile;
import com.monei.connect.client.Scopes;
import com.monei.connect.client.SendMoney;
import com.monei.connect.client.Transaction;
import com.monei.connect.client.Wallet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake through the real SDK, as an app's own tests would use it. */
class FakeMoneiTest {
  private static final String USER = "user-1";

  private FakeMonei fake;
  private InMemoryTokenStore store;
  private MoneiConnect monei;

  @BeforeEach
  void start() {
    fake = FakeMonei.start().balance("NGN", "5000.00");
    store = new InMemoryTokenStore();
    monei = connectTo(fake, 2);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private MoneiConnect connectTo(FakeMonei server, int retries) {
    return MoneiConnect.builder().issuer(server.issuer()).clientId(server.clientId())
        .clientSecret(server.clientSecret()).redirectUri(server.redirectUri()).tokenStore(store)
        .retries(retries).build();
  }

  private CallbackResult connect(String... scopes) {
    AuthorizationRequest pending = monei.authorizationRequest(scopes);
    return monei.handleCallback(fake.approve(pending.url()), pending, USER);
  }

  @Test
  void connectsThenReadsTheWalletAndTheProfile() {
    CallbackResult result = connect(Scopes.WALLET_READ, Scopes.PROFILE_READ);

    assertThat(result).isInstanceOfSatisfying(CallbackResult.Approved.class,
        approved -> assertThat(approved.grant().scopes()).containsExactlyInAnyOrder("wallet:read", "profile:read"));
    Wallet wallet = monei.wallet(USER).me();
    assertThat(wallet.walletId()).isEqualTo(fake.walletId());
    assertThat(wallet.balance("NGN")).hasValueSatisfying(b -> assertThat(b.availableText()).isEqualTo("5000.00"));
    Profile profile = monei.profile(USER).me();
    assertThat(profile.email()).isEqualTo("ada@example.com");
  }

  @Test
  void theAuthorizeEndpointRedirectsWithACodeTheSdkRedeems() throws Exception {
    AuthorizationRequest pending = monei.authorizationRequest(Scopes.WALLET_READ);

    HttpResponse<Void> redirect = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(pending.url()).build(), HttpResponse.BodyHandlers.discarding());

    assertThat(redirect.statusCode()).isEqualTo(302);
    URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
    assertThat(location.toString()).startsWith(fake.redirectUri() + "?");
    assertThat(monei.handleCallback(location.getRawQuery(), pending, USER)).isInstanceOf(CallbackResult.Approved.class);
    assertThat(monei.wallet(USER).me().balance("NGN")).isPresent();
  }

  @Test
  void grantsOnlyTheScopesTheUserChose() {
    AuthorizationRequest pending = monei.authorizationRequest(Scopes.WALLET_READ, Scopes.WALLET_SEND);
    monei.handleCallback(fake.approve(pending.url(), Scopes.WALLET_READ), pending, USER);

    assertThat(monei.grant(USER).orElseThrow().scopes()).containsExactly("wallet:read");
    assertThatThrownBy(() -> monei.wallet(USER).send(SendMoney.of("bola@example.com", "1.00", "NGN", null), "k1"))
        .isInstanceOfSatisfying(InsufficientScopeException.class, e -> assertThat(e.scope()).isEqualTo("wallet:send"));
  }

  @Test
  void aCodeRedeemedWithTheWrongVerifierIsRefused() throws Exception {
    AuthorizationRequest pending = monei.authorizationRequest(Scopes.WALLET_READ);
    String code = fake.approve(pending.url()).replaceAll("^code=([^&]+)&.*", "$1");

    HttpResponse<String> response = postToken("grant_type=authorization_code&code=" + code
        + "&redirect_uri=" + fake.redirectUri() + "&code_verifier=" + "x".repeat(43));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("invalid_grant");
  }

  @Test
  void theSameIdempotencyKeyTwiceSendsOnce() {
    connect(Scopes.WALLET_READ, Scopes.WALLET_SEND);
    SendMoney lunch = SendMoney.of("bola@example.com", "250.00", "NGN", "Lunch");

    Transaction first = monei.wallet(USER).send(lunch, "send-1");
    Transaction again = monei.wallet(USER).send(lunch, "send-1");

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(fake.sendsExecuted()).isEqualTo(1);
    assertThat(fake.balanceOf("NGN")).isEqualByComparingTo("4750.00");
    assertThat(monei.wallet(USER).transactions().data()).extracting(Transaction::id).containsExactly(first.id());
    assertThatThrownBy(() -> monei.wallet(USER).send(SendMoney.of("bola@example.com", "9.00", "NGN", null), "send-1"))
        .isInstanceOfSatisfying(MoneiApiException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void aSendAboveTheThresholdWaitsForTheUsersConfirmation() {
    connect(Scopes.WALLET_SEND);
    fake.confirmSendsAbove("1000.00");
    SendMoney rent = SendMoney.of("landlord@example.com", "1500.00", "NGN", "Rent");

    String confirmationId = null;
    try {
      monei.wallet(USER).send(rent, "rent-1");
    } catch (ConfirmationRequiredException e) {
      confirmationId = e.confirmationId();
      assertThat(e.confirmationUrl().toString()).startsWith(fake.issuer());
    }
    assertThat(confirmationId).isNotNull();
    assertThat(fake.sendsExecuted()).isZero();

    fake.confirm(confirmationId);
    monei.wallet(USER).send(rent, "rent-1");
    assertThat(fake.sendsExecuted()).isEqualTo(1);
  }

  @Test
  void anExpiredAccessTokenIsRefreshedAndTheRefreshTokenRotates() throws Exception {
    connect(Scopes.WALLET_READ);
    String firstRefresh = store.load(USER).orElseThrow().refreshToken();

    fake.expireAccessTokens();
    assertThat(monei.wallet(USER).me().balance("NGN")).isPresent();

    String secondRefresh = store.load(USER).orElseThrow().refreshToken();
    assertThat(secondRefresh).isNotEqualTo(firstRefresh);
    assertThat(fake.liveGrants()).isEqualTo(1);
    HttpResponse<String> reuse = postToken("grant_type=refresh_token&refresh_token=" + firstRefresh);
    assertThat(reuse.statusCode()).isEqualTo(400);
    assertThat(reuse.body()).contains("invalid_grant");
  }

  @Test
  void aServiceUnavailableIsRetriedBySdk() {
    connect(Scopes.WALLET_READ);
    int before = fake.requestCount();
    fake.failNext(503, "temporarily_unavailable");

    assertThat(monei.wallet(USER).me().balance("NGN")).isPresent();
    assertThat(fake.requestCount() - before).isEqualTo(2);
  }

  @Test
  void aTooManyRequestsReachesAnAppThatDoesNotRetry() {
    monei = connectTo(fake, 0);
    connect(Scopes.WALLET_READ);
    fake.failNext(429, "rate_limited");

    assertThatThrownBy(() -> monei.wallet(USER).me())
        .isInstanceOfSatisfying(MoneiApiException.class, e -> assertThat(e.status()).isEqualTo(429));
  }

  @Test
  void aGrantTheUserRevokedIsGrantRevokedException() {
    connect(Scopes.WALLET_READ);
    fake.revokeGrants();

    assertThatThrownBy(() -> monei.wallet(USER).me()).isInstanceOf(GrantRevokedException.class);
  }

  @Test
  void disconnectRevokesTheGrantAtTheFake() {
    connect(Scopes.WALLET_READ);
    assertThat(fake.liveGrants()).isEqualTo(1);

    monei.disconnect(USER);

    assertThat(fake.liveGrants()).isZero();
    assertThat(monei.grant(USER)).isEmpty();
  }

  @Test
  void aDenialReachesTheAppAsDenied() {
    AuthorizationRequest pending = monei.authorizationRequest(Scopes.WALLET_READ);

    assertThat(monei.handleCallback(fake.deny(pending.url()), pending, USER)).isInstanceOf(CallbackResult.Denied.class);
  }

  private HttpResponse<String> postToken(String form) throws Exception {
    String basic = Base64.getEncoder().encodeToString((fake.clientId() + ":" + fake.clientSecret())
        .getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(fake.issuer() + "/api/v1/connect/token"))
        .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
