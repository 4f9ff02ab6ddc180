package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * handleCallback: every outcome decided before the code exchange makes no HTTP request at all (the
 * fake server is a tripwire), and an approval exchanges the code as RFC 6749 §4.1.3 and RFC 7636 say.
 */
class CallbackHandlingTest {
  private static final String TOKENS = "{\"access_token\":\"mct_access\",\"refresh_token\":\"mcr_refresh\","
      + "\"token_type\":\"Bearer\",\"expires_in\":3600,\"scopes\":[\"profile:read\"],\"scope\":\"profile:read\"}";
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static MoneiConnect connect(FakeMonei fake, String secret, TokenStore store) {
    MoneiConnect.Builder builder = MoneiConnect.builder().issuer(fake.url()).clientId("mc_app/1")
        .redirectUri("http://localhost:3000/monei/callback").tokenStore(store)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    // A public app leaves the secret unset.
    return (secret == null ? builder : builder.clientSecret(secret)).build();
  }

  /** A callback query, with "{state}" and "{iss}" replaced by the pending request's state and the issuer. */
  static Stream<Arguments> decidedWithoutExchange() {
    return Stream.of(
        Arguments.of("wrong state", "code=abc&state=forged&iss={iss}", CallbackResult.StateMismatch.class),
        Arguments.of("no state", "code=abc&iss={iss}", CallbackResult.StateMismatch.class),
        Arguments.of("empty state", "code=abc&state=&iss={iss}", CallbackResult.StateMismatch.class),
        Arguments.of("state twice", "code=abc&state={state}&state=forged&iss={iss}", CallbackResult.StateMismatch.class),
        Arguments.of("state prefix", "code=abc&state={state}x&iss={iss}", CallbackResult.StateMismatch.class),
        Arguments.of("denied, wrong state", "error=access_denied&state=forged&iss={iss}",
            CallbackResult.StateMismatch.class),
        Arguments.of("denied", "error=access_denied&error_description=No&state={state}&iss={iss}",
            CallbackResult.Denied.class),
        Arguments.of("other error", "error=invalid_scope&state={state}&iss={iss}", CallbackResult.Failed.class),
        Arguments.of("other issuer", "code=abc&state={state}&iss=https%3A%2F%2Fevil.example",
            CallbackResult.Failed.class),
        Arguments.of("code twice", "code=abc&code=def&state={state}&iss={iss}", CallbackResult.Failed.class),
        Arguments.of("no code", "state={state}&iss={iss}", CallbackResult.Failed.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decidedWithoutExchange")
  void handleCallbackWhenDecidedBeforeExchangeThenNoRequestReachesTheServer(String name, String query,
      Class<? extends CallbackResult> expected) {
    try (FakeMonei fake = FakeMonei.tripwire()) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      MoneiConnect connect = connect(fake, "mcs_secret", store);
      AuthorizationRequest pending = connect.authorizationRequest(Scopes.WALLET_READ);
      String filled = query.replace("{state}", pending.state()).replace("{iss}", Form.encode(connect.issuer()));

      CallbackResult result = connect.handleCallback(filled, pending, "user-1");

      assertThat(result).isInstanceOf(expected);
      assertThat(fake.requests).as("requests to the server").isEmpty();
      assertThat(store.size()).isZero();
    }
  }

  @Test
  void handleCallbackWhenNoRequestIsPendingThenStateMismatch() {
    try (FakeMonei fake = FakeMonei.tripwire()) {
      CallbackResult result = connect(fake, "mcs_secret", new InMemoryTokenStore())
          .handleCallback(Map.of("code", "abc", "state", "anything"), null, "user-1");

      assertThat(result).isEqualTo(new CallbackResult.StateMismatch());
      assertThat(fake.requests).isEmpty();
    }
  }

  @Test
  void handleCallbackWhenDeniedThenDeniedCarriesTheDescription() {
    try (FakeMonei fake = FakeMonei.tripwire()) {
      MoneiConnect connect = connect(fake, "mcs_secret", new InMemoryTokenStore());
      AuthorizationRequest pending = connect.authorizationRequest(Scopes.WALLET_READ);

      CallbackResult result = connect.handleCallback(Map.of("error", "access_denied", "error_description",
          "The user denied the request.", "state", pending.state(), "iss", connect.issuer()), pending, "user-1");

      assertThat(result).isEqualTo(new CallbackResult.Denied("The user denied the request."));
    }
  }

  @Test
  void handleCallbackWhenConfidentialAppApprovedThenExchangesWithBasicAuthAndStoresTokens() {
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(200, TOKENS))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      MoneiConnect connect = connect(fake, "mcs_se:cret", store);
      AuthorizationRequest pending = connect.authorizationRequest(Scopes.PROFILE_READ, Scopes.WALLET_READ);

      CallbackResult result = connect.handleCallback("?code=the-code&state=" + pending.state() + "&iss="
          + Form.encode(connect.issuer()), pending, "user-1");

      assertThat(result).isInstanceOf(CallbackResult.Approved.class);
      Grant grant = ((CallbackResult.Approved) result).grant();
      assertThat(grant.scopes()).containsExactly("profile:read");
      assertThat(grant.missing(pending.scopes())).containsExactly("wallet:read");
      assertThat(grant.accessTokenExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
      assertThat(store.load("user-1")).get().extracting(StoredTokens::accessToken, StoredTokens::refreshToken)
          .containsExactly("mct_access", "mcr_refresh");

      FakeMonei.Request request = fake.requests.get(0);
      assertThat(request.method() + " " + request.path()).isEqualTo("POST /api/v1/connect/token");
      assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
      // RFC 6749 §2.3.1: id and secret are form-encoded before Base64.
      assertThat(request.header("Authorization")).isEqualTo(TokenEndpointClient.basic("mc_app/1", "mcs_se:cret"))
          .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("mc_app%2F1:mcs_se%3Acret".getBytes()));
      assertThat(request.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "grant_type", List.of("authorization_code"), "code", List.of("the-code"),
          "redirect_uri", List.of("http://localhost:3000/monei/callback"),
          "code_verifier", List.of(pending.codeVerifier())));
    }
  }

  @Test
  void handleCallbackWhenPublicAppApprovedThenSendsClientIdAndVerifierWithoutSecret() {
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(200, TOKENS))) {
      MoneiConnect connect = connect(fake, null, new InMemoryTokenStore());
      AuthorizationRequest pending = connect.authorizationRequest(Scopes.PROFILE_READ);

      assertThat(connect.handleCallback(Map.of("code", "c", "state", pending.state()), pending, "u"))
          .isInstanceOf(CallbackResult.Approved.class);

      FakeMonei.Request request = fake.requests.get(0);
      assertThat(request.header("Authorization")).isNull();
      assertThat(request.form()).containsEntry("client_id", List.of("mc_app/1"))
          .containsEntry("code_verifier", List.of(pending.codeVerifier())).doesNotContainKey("client_secret");
    }
  }

  @Test
  void handleCallbackWhenExchangeRefusedThenFailedWithTheOAuthErrorAndNothingStored() {
    String refusal = "{\"error\":\"invalid_grant\",\"error_description\":\"The code expired.\",\"message\":\"x\"}";
    try (FakeMonei fake = FakeMonei.answering(r -> FakeMonei.Response.json(400, refusal))) {
      InMemoryTokenStore store = new InMemoryTokenStore();
      MoneiConnect connect = connect(fake, "mcs_secret", store);
      AuthorizationRequest pending = connect.authorizationRequest(Scopes.PROFILE_READ);

      CallbackResult result = connect.handleCallback(Map.of("code", "c", "state", pending.state()), pending, "u");

      assertThat(result).isEqualTo(new CallbackResult.Failed("invalid_grant", "The code expired."));
      assertThat(store.size()).isZero();
    }
  }
}
