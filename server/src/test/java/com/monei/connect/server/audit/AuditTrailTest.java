package com.monei.connect.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.Hashes;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail over real HTTP for sign-in and consent, whose events commit in the same
 * transaction as what they describe: one event per sign-in (with the new session stored), per
 * failed sign-in (with its two failure counts) and per consent answer.
 */
@WithTestServer
class AuditTrailTest {
  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @Test
  void signInWhenSuccessfulThenOneLoginOkEventAndTheSessionStored() {
    User user = server.user();

    new MoneiTestClient(server).signIn(user);

    assertThat(events(user, AuditLog.LOGIN_OK)).hasSize(1);
    assertThat(count("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?", user.id())).isEqualTo(1);
  }

  @Test
  void signInWhenPasswordWrongThenLoginFailedEventAndBothFailureCountsAndNoSession() {
    User user = server.user();

    HttpResponse<String> answer = new MoneiTestClient(server).submitLogin(user.email(), "wrong-password", "/");

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(events(user, AuditLog.LOGIN_FAILED)).hasSize(1);
    assertThat(events(user, AuditLog.LOGIN_OK)).isEmpty();
    assertThat(count("SELECT COUNT(*) AS n FROM login_failures WHERE subject = ?",
        "account:" + Hashes.sha256(user.email()))).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) AS n FROM login_failures WHERE subject LIKE ?", "ip:%")).isPositive();
    assertThat(count("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?", user.id())).isZero();
  }

  @Test
  void consentWhenAllowedThenGrantedEventWithTheTickedScopesAndWhenDeniedThenDeniedEvent() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    MoneiTestClient.ConsentScreen first = flow.openConsent(flow.authorizeUrl(app, "profile:read wallet:read", "s1"));
    assertThat(flow.submitConsent(first, "allow", List.of("wallet:read")).statusCode()).isEqualTo(303);
    MoneiTestClient.ConsentScreen second = flow.openConsent(
        flow.authorizeUrl(app, "profile:read wallet:read", "s2") + "&prompt=consent");
    assertThat(flow.submitConsent(second, "deny", List.of()).statusCode()).isEqualTo(303);

    assertThat(details(user, app, AuditLog.CONSENT_GRANTED)).containsExactly("wallet:read");
    assertThat(details(user, app, AuditLog.CONSENT_DENIED)).containsExactly("profile:read wallet:read");
  }

  @Test
  void revokeWhenAppRevokesItsOnlyRefreshTokenThenRevokedEventAndConsentForgottenTogether() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.Grant grant = flow.grant(app, "wallet:read");

    assertThat(flow.revoke(app, grant.refresh()).statusCode()).isEqualTo(200);

    assertThat(details(user, app, AuditLog.TOKEN_REVOKED)).singleElement().asString().startsWith("refresh_token");
    assertThat(server.services().consents.find(app.clientId(), user.id())).isEmpty();
    assertThat(server.services().tokens.authenticate(grant.access())).isEmpty();
  }

  private static List<String> events(User user, String event) {
    return server.services().db.list("SELECT event FROM audit_events WHERE user_id = ? AND event = ?",
        rs -> rs.getString("event"), user.id(), event);
  }

  private static List<String> details(User user, TestServer.TestApp app, String event) {
    return server.services().db.list(
        "SELECT COALESCE(detail, '') AS detail FROM audit_events WHERE user_id = ? AND client_id = ? AND event = ?",
        rs -> rs.getString("detail"), user.id(), app.clientId(), event);
  }

  private static long count(String sql, String value) {
    return server.services().db.read(sql, rs -> rs.next() ? rs.getLong("n") : 0L, value);
  }
}
