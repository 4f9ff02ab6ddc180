package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.Services;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The consent screen's answer applied in process against the real stores. */
@WithTestServer
class ConsentDecisionTest {
  private static final String REDIRECT = "https://shop.example/callback";

  static Services services;
  static ConsentDecision decision;
  static String userId;
  static String clientId;

  @BeforeAll
  static void start(TestServer server) {
    services = server.services();
    userId = services.accounts.create("decision@monei.test", "Dee Cision", "correct horse battery").id();
    clientId = services.registration.register("Shop", List.of(REDIRECT), null, false, userId).app().clientId();
    decision = new ConsentDecision(services.pending, services.consents, services.tokenStore,
        new AuthorizationCodeIssuer(services.codes, services.clock, services.config), services.db, services.audit,
        services.clock);
  }

  @Test
  void applyWhenAllowedThenCodeForTickedScopesWithStateAndIssAndRequestUsedUp() {
    PendingAuthorization request = pending(Set.of(ScopeCatalog.PROFILE_READ, ScopeCatalog.WALLET_READ), false);

    String location = decision.apply(request,
        new ConsentDecision.Answer(true, Set.of(ScopeCatalog.PROFILE_READ), null));

    Map<String, String> query = query(location);
    assertThat(location).startsWith(REDIRECT + "?");
    assertThat(query).containsEntry("state", "st-1").containsEntry("iss", services.config.issuer());
    assertThat(services.codes.find(Hashes.sha256(query.get("code"))).orElseThrow().scopes())
        .contains(ScopeCatalog.PROFILE_READ).doesNotContain(ScopeCatalog.WALLET_READ);
    assertThat(services.consents.find(clientId, userId).map(Consent::scopes).orElseThrow())
        .contains(ScopeCatalog.PROFILE_READ);
    assertThat(services.pending.find(request.id(), services.clock.instant())).isEmpty();
  }

  @Test
  void applyWhenAnsweredTwiceThenSecondRefusedAsPageError() {
    PendingAuthorization request = pending(Set.of(ScopeCatalog.PROFILE_READ), false);
    ConsentDecision.Answer allow = new ConsentDecision.Answer(true, Set.of(ScopeCatalog.PROFILE_READ), null);
    decision.apply(request, allow);

    assertThatThrownBy(() -> decision.apply(request, allow)).isInstanceOfSatisfying(OAuthException.class, e -> {
      assertThat(e.error().code()).isEqualTo("invalid_request");
      assertThat(e.error().description()).contains("already answered");
      assertThat(e.error().mayRedirect()).isFalse();
    });
  }

  @Test
  void applyWhenFormTicksScopeNotRequestedThenInvalidScopeAndRequestKept() {
    PendingAuthorization request = pending(Set.of(ScopeCatalog.PROFILE_READ), false);

    assertThatThrownBy(() -> decision.apply(request,
        new ConsentDecision.Answer(true, Set.of(ScopeCatalog.PROFILE_READ, ScopeCatalog.WALLET_SEND), null)))
        .isInstanceOfSatisfying(OAuthException.class, e -> {
          assertThat(e.error().code()).isEqualTo("invalid_scope");
          assertThat(e.error().mayRedirect()).isFalse();
        });
    assertThat(services.pending.find(request.id(), services.clock.instant())).isPresent();
  }

  @Test
  void applyWhenDeniedOrNothingTickedThenAccessDeniedBackToTheApp() {
    for (ConsentDecision.Answer answer : List.of(
        new ConsentDecision.Answer(false, Set.of(ScopeCatalog.WALLET_READ), null),
        new ConsentDecision.Answer(true, Set.of(), null))) {
      PendingAuthorization request = pending(Set.of(ScopeCatalog.WALLET_READ), false);

      Map<String, String> query = query(decision.apply(request, answer));

      assertThat(query).containsEntry("error", "access_denied").containsEntry("state", "st-1")
          .containsEntry("iss", services.config.issuer()).doesNotContainKey("code");
    }
  }

  private static PendingAuthorization pending(Set<String> scopes, boolean forceConsent) {
    Instant now = services.clock.instant();
    PendingAuthorization request = new PendingAuthorization(TokenFormat.randomBase62(32),
        Hashes.sha256("session"), userId, clientId, REDIRECT, true, ScopeCatalog.ordered(scopes), "st-1", null,
        forceConsent, now, now.plus(AuthorizeEndpoint.PENDING_TTL));
    services.pending.save(request);
    return request;
  }

  private static Map<String, String> query(String location) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : URI.create(location).getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return params;
  }
}
