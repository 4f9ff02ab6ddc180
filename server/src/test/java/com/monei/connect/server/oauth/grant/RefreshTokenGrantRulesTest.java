package com.monei.connect.server.oauth.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.monei.connect.server.Config;
import com.monei.connect.server.Services;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.oauth.OAuthException;
import com.monei.connect.server.oauth.TokenRequest;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.token.IssuedTokens;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RefreshTokenGrant}'s guards in process, over the real JDBC stores of a test database and no
 * HTTP: each test breaks one rule and asserts the OAuth error code it answers with, so a failing rule
 * points at this class. The end-to-end behaviour over HTTP is {@link RefreshTokenGrantTest}'s.
 */
@WithTestServer
class RefreshTokenGrantRulesTest {
  private static final Set<String> SCOPES = Set.of("profile:read", "wallet:read");

  // Tests move the shared clock (past the grace window, past a token's lifetime); each one makes its
  // own family at the clock's current time, so the moves do not reach into other tests.
  static TestServer server;
  static Services services;
  static RefreshTokenGrant grant;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    services = server.services();
    grant = grantWith(services.config);
  }

  private static RefreshTokenGrant grantWith(Config config) {
    return new RefreshTokenGrant(services.tokens, services.tokenStore, services.db, services.audit,
        services.clock, config);
  }

  /** A token family's first pair, as the code grant issues it. */
  private record Family(TestServer.TestApp app, IssuedTokens first) {}

  private Family family() {
    TestServer.TestApp app = server.app().create();
    String userId = server.user().id();
    IssuedTokens first = services.db.inRowLockingTransaction(() ->
        services.tokens.issueNewFamily(Ids.next("fam_"), app.clientId(), userId, SCOPES));
    return new Family(app, first);
  }

  private RegisteredApp registered(TestServer.TestApp app) {
    return services.apps.find(app.clientId()).orElseThrow();
  }

  private IssuedTokens refresh(RefreshTokenGrant with, TestServer.TestApp as, String refreshToken, String scope) {
    Map<String, String> params = new HashMap<>();
    params.put("grant_type", "refresh_token");
    params.put("refresh_token", refreshToken);
    if (scope != null) params.put("scope", scope);
    return with.handle(registered(as), new TokenRequest(params, null, null));
  }

  private IssuedTokens refresh(Family family, String refreshToken) {
    return refresh(grant, family.app(), refreshToken, null);
  }

  /** The OAuth error code the grant refused with. */
  private static String refusal(Runnable call) {
    OAuthException e = catchThrowableOfType(OAuthException.class, call::run);
    assertThat(e).as("the grant refuses").isNotNull();
    return e.error().code();
  }

  private boolean familyAlive(IssuedTokens tokens) {
    return services.tokens.authenticate(tokens.accessToken()).isPresent();
  }

  @Test
  void refreshWhenEveryRuleHoldsThenRotatesToANewPairWithTheSameScopes() {
    Family family = family();

    IssuedTokens next = refresh(family, family.first().refreshToken());

    assertThat(next.refreshToken()).startsWith("mcr_").isNotEqualTo(family.first().refreshToken());
    assertThat(next.accessToken()).startsWith("mct_").isNotEqualTo(family.first().accessToken());
    assertThat(next.scopes()).isEqualTo(SCOPES);
  }

  @Test
  void refreshWhenTokenMalformedThenInvalidGrant() {
    Family family = family();

    assertThat(refusal(() -> refresh(family, "not-a-refresh-token"))).isEqualTo("invalid_grant");
    assertThat(refusal(() -> refresh(family, family.first().accessToken()))).isEqualTo("invalid_grant");
  }

  @Test
  void refreshWhenTokenOfAnotherAppThenInvalidGrantAndFamilyKept() {
    Family family = family();
    TestServer.TestApp other = server.app().create();

    assertThat(refusal(() -> refresh(grant, other, family.first().refreshToken(), null))).isEqualTo("invalid_grant");
    assertThat(familyAlive(family.first())).isTrue();
    assertThat(refresh(family, family.first().refreshToken()).refreshToken()).as("the owner can still use it")
        .isNotNull();
  }

  @Test
  void refreshWhenScopeWidenedThenInvalidScope() {
    Family family = family();

    assertThat(refusal(() -> refresh(grant, family.app(), family.first().refreshToken(), "profile:read wallet:send")))
        .isEqualTo("invalid_scope");
  }

  @Test
  void refreshWhenScopeUnknownOrEmptyThenInvalidScope() {
    Family family = family();

    assertThat(refusal(() -> refresh(grant, family.app(), family.first().refreshToken(), "wallet:steal")))
        .isEqualTo("invalid_scope");
    assertThat(refusal(() -> refresh(grant, family.app(), family.first().refreshToken(), " ")))
        .isEqualTo("invalid_scope");
  }

  @Test
  void refreshWhenScopeNarrowedThenAccessTokenGetsTheNarrowerScope() {
    Family family = family();

    IssuedTokens next = refresh(grant, family.app(), family.first().refreshToken(), "profile:read");

    assertThat(next.scopes()).containsExactly("profile:read");
  }

  @Test
  void refreshWhenExpiredThenInvalidGrant() {
    Family family = family();
    server.advance(services.config.refreshTokenTtl());

    assertThat(refusal(() -> refresh(family, family.first().refreshToken()))).isEqualTo("invalid_grant");
  }

  @Test
  void refreshWhenPreviousTokenReplayedInsideGraceThenSameSuccessorPair() {
    Family family = family();
    IssuedTokens next = refresh(family, family.first().refreshToken());
    server.advance(services.config.refreshGrace().minusSeconds(1));

    IssuedTokens again = refresh(family, family.first().refreshToken());

    assertThat(again.accessToken()).isEqualTo(next.accessToken());
    assertThat(again.refreshToken()).isEqualTo(next.refreshToken());
    assertThat(familyAlive(next)).isTrue();
  }

  @Test
  void refreshWhenReplayedInsideGraceWithOtherParametersThenInvalidGrantAndFamilyKept() {
    Family family = family();
    IssuedTokens next = refresh(family, family.first().refreshToken());

    assertThat(refusal(() -> refresh(grant, family.app(), family.first().refreshToken(), "profile:read")))
        .isEqualTo("invalid_grant");
    assertThat(familyAlive(next)).as("a retry with other parameters is no evidence of theft").isTrue();
  }

  @Test
  void refreshWhenReusedAfterGraceWindowThenInvalidGrantAndRevokesFamily() {
    Family family = family();
    IssuedTokens next = refresh(family, family.first().refreshToken());
    server.advance(services.config.refreshGrace());

    assertThat(refusal(() -> refresh(family, family.first().refreshToken()))).isEqualTo("invalid_grant");
    assertThat(familyAlive(next)).isFalse();
    assertThat(refusal(() -> refresh(family, next.refreshToken()))).as("the successor goes with the family")
        .isEqualTo("invalid_grant");
  }

  @Test
  void refreshWhenTokenTwoGenerationsBackReplayedInsideGraceThenRevokesFamily() {
    Family family = family();
    IssuedTokens second = refresh(family, family.first().refreshToken());
    IssuedTokens third = refresh(family, second.refreshToken());

    assertThat(refusal(() -> refresh(family, family.first().refreshToken()))).isEqualTo("invalid_grant");
    assertThat(familyAlive(third)).isFalse();
  }

  @Test
  void refreshWhenGraceWindowZeroThenImmediateReuseRevokesFamily() {
    RefreshTokenGrant strict = grantWith(services.config.withRefreshGrace(Duration.ZERO));
    Family family = family();
    IssuedTokens next = refresh(strict, family.app(), family.first().refreshToken(), null);

    assertThat(refusal(() -> refresh(strict, family.app(), family.first().refreshToken(), null)))
        .isEqualTo("invalid_grant");
    assertThat(familyAlive(next)).isFalse();
  }
}
