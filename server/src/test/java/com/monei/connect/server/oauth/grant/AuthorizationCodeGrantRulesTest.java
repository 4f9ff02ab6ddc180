package com.monei.connect.server.oauth.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.monei.connect.server.Services;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.oauth.OAuthException;
import com.monei.connect.server.oauth.Pkce;
import com.monei.connect.server.oauth.TokenRequest;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.AuthorizationCode;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.IssuedTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthorizationCodeGrant}'s guards in process, over the real JDBC stores of a test database
 * and no HTTP: each test breaks one rule and asserts the OAuth error code it answers with, so a
 * failing rule points at this class rather than at the token endpoint around it.
 */
@WithTestServer
class AuthorizationCodeGrantRulesTest {
  private static final Set<String> SCOPES = Set.of("profile:read", "wallet:read");

  static TestServer server;
  static Services services;
  static AuthorizationCodeGrant grant;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    services = server.services();
    grant = new AuthorizationCodeGrant(services.codes, services.tokens, services.db, services.audit, services.clock);
  }

  /** A code as the consent step stores it: issued to {@code app}, for its first redirect URI, named in the request. */
  private record Issued(TestServer.TestApp app, String code) {}

  private Issued code(TestServer.TestApp app, String challenge, Duration ttl) {
    String code = "code-" + UUID.randomUUID();
    Instant now = services.clock.instant();
    services.codes.save(new AuthorizationCode(Hashes.sha256(code), app.clientId(), server.user().id(),
        app.redirectUri(), true, SCOPES, challenge, now, now.plus(ttl), null, null));
    return new Issued(app, code);
  }

  private Issued code() {
    return code(server.app().create(), null, Duration.ofMinutes(10));
  }

  private static RegisteredApp registered(TestServer.TestApp app) {
    return services.apps.find(app.clientId()).orElseThrow();
  }

  /** The token request's parameters; a null value leaves the parameter out. */
  private static TokenRequest request(String... keyValues) {
    Map<String, String> params = new HashMap<>();
    params.put("grant_type", "authorization_code");
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) params.put(keyValues[i], keyValues[i + 1]);
    }
    return new TokenRequest(params, null, null);
  }

  private static IssuedTokens exchange(TestServer.TestApp as, Issued issued, String redirectUri, String verifier) {
    return grant.handle(registered(as), request("code", issued.code(), "redirect_uri", redirectUri,
        "code_verifier", verifier));
  }

  private static IssuedTokens exchange(Issued issued) {
    return exchange(issued.app(), issued, issued.app().redirectUri(), null);
  }

  /** The OAuth error code the grant refused with. */
  private static String refusal(Runnable call) {
    OAuthException e = catchThrowableOfType(OAuthException.class, call::run);
    assertThat(e).as("the grant refuses").isNotNull();
    return e.error().code();
  }

  @Test
  void exchangeWhenEveryRuleHoldsThenIssuesAFamilyWithTheCodesScopes() {
    IssuedTokens tokens = exchange(code());

    assertThat(tokens.scopes()).isEqualTo(SCOPES);
    assertThat(tokens.accessToken()).startsWith("mct_");
    assertThat(tokens.refreshToken()).startsWith("mcr_");
    assertThat(services.tokens.authenticate(tokens.accessToken())).isPresent();
  }

  @Test
  void exchangeWhenCodeMissingThenInvalidRequest() {
    TestServer.TestApp app = server.app().create();

    assertThat(refusal(() -> grant.handle(registered(app), request("redirect_uri", app.redirectUri()))))
        .isEqualTo("invalid_request");
  }

  @Test
  void exchangeWhenCodeUnknownThenInvalidGrant() {
    Issued never = new Issued(server.app().create(), "code-never-issued");

    assertThat(refusal(() -> exchange(never))).isEqualTo("invalid_grant");
  }

  @Test
  void exchangeWhenCodeIssuedToAnotherAppThenInvalidGrant() {
    Issued issued = code();
    TestServer.TestApp other = server.app().redirectUris(issued.app().redirectUri()).create();

    assertThat(refusal(() -> exchange(other, issued, issued.app().redirectUri(), null))).isEqualTo("invalid_grant");
    assertThat(exchange(issued).accessToken()).as("the rightful app can still redeem it").isNotNull();
  }

  @Test
  void exchangeWhenRedirectUriDiffersThenInvalidGrant() {
    Issued issued = code();

    assertThat(refusal(() -> exchange(issued.app(), issued, "http://localhost:3000/other", null)))
        .isEqualTo("invalid_grant");
  }

  @Test
  void exchangeWhenRedirectUriLeftOutButTheAuthorizationNamedItThenInvalidRequest() {
    Issued issued = code();

    assertThat(refusal(() -> exchange(issued.app(), issued, null, null))).isEqualTo("invalid_request");
  }

  @Test
  void exchangeWhenCodeExpiredThenInvalidGrant() {
    Issued issued = code(server.app().create(), null, Duration.ofSeconds(30));
    server.advance(Duration.ofSeconds(30));

    assertThat(refusal(() -> exchange(issued))).isEqualTo("invalid_grant");
  }

  @Test
  void exchangeWhenVerifierDoesNotMatchChallengeThenInvalidGrant() {
    TestServer.TestApp app = server.app().publicClient().create();
    Issued issued = code(app, MoneiTestClient.CHALLENGE, Duration.ofMinutes(10));

    assertThat(refusal(() -> exchange(app, issued, app.redirectUri(), "x".repeat(43) + "-wrong")))
        .isEqualTo("invalid_grant");
    assertThat(exchange(app, issued, app.redirectUri(), MoneiTestClient.VERIFIER).accessToken())
        .as("the right verifier still works: a failed check does not use the code").isNotNull();
  }

  @Test
  void exchangeWhenChallengeWasSentButVerifierLeftOutThenInvalidGrant() {
    TestServer.TestApp app = server.app().publicClient().create();
    Issued issued = code(app, Pkce.s256(MoneiTestClient.VERIFIER), Duration.ofMinutes(10));

    assertThat(refusal(() -> exchange(app, issued, app.redirectUri(), null))).isEqualTo("invalid_grant");
  }

  @Test
  void exchangeWhenVerifierSentForACodeWithoutChallengeThenInvalidGrant() {
    Issued issued = code();

    assertThat(refusal(() -> exchange(issued.app(), issued, issued.app().redirectUri(), MoneiTestClient.VERIFIER)))
        .isEqualTo("invalid_grant");
  }

  @Test
  void exchangeWhenCodeReusedThenInvalidGrantAndRevokesTheFamilyItIssued() {
    Issued issued = code();
    IssuedTokens first = exchange(issued);

    assertThat(refusal(() -> exchange(issued))).isEqualTo("invalid_grant");
    assertThat(services.tokens.authenticate(first.accessToken())).as("first access token revoked").isEmpty();
    assertThat(services.tokens.find(first.refreshToken()).orElseThrow().revoked()).as("first refresh token revoked")
        .isTrue();
  }
}
