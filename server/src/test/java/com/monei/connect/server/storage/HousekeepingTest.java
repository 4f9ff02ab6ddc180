package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.MoneiTestClient.Grant;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.Hashes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Housekeeping.purgeOnce() against the real schema: what has expired goes (codes a day after their
 * expiry), what is live stays, and a used refresh token stays for reuse detection until it expires.
 * Rows are counted in the database; behaviour is checked over HTTP.
 */
@WithTestServer
class HousekeepingTest {
  private static final String SCOPE = "profile:read";

  static TestServer server;
  static MoneiTestClient channel;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    channel = new MoneiTestClient(server);
  }

  private static long count(String sql, String value) {
    return server.services().db.read(sql, rs -> rs.next() ? rs.getLong("n") : 0L, value);
  }

  private static long codeRows(String code) {
    return count("SELECT COUNT(*) AS n FROM authorization_codes WHERE code_hash = ?", Hashes.sha256(code));
  }

  private static long accessRows(String token) {
    return count("SELECT COUNT(*) AS n FROM access_tokens WHERE token_hash = ?", Hashes.sha256(token));
  }

  private static long refreshRows(String token) {
    return count("SELECT COUNT(*) AS n FROM refresh_tokens WHERE token_hash = ?", Hashes.sha256(token));
  }

  private static long sessionRows(User user) {
    return count("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?", user.id());
  }

  private static long pendingRows(User user) {
    return count("SELECT COUNT(*) AS n FROM authorization_requests WHERE user_id = ?", user.id());
  }

  private static long loginFailureRows() {
    return server.services().db.read("SELECT COUNT(*) AS n FROM login_failures",
        rs -> rs.next() ? rs.getLong("n") : 0L);
  }

  private static long loginSubjectRows() {
    return server.services().db.read("SELECT COUNT(*) AS n FROM login_subjects",
        rs -> rs.next() ? rs.getLong("n") : 0L);
  }

  private static String exchangeError(TestServer.TestApp app, String code) {
    HttpResponse<String> response = channel.exchange(app, code);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return MoneiTestClient.error(response);
  }

  @Test
  void purgeOnceWhenEverythingExpiredThenRowsGoneAndExpiredThingsAnswerCleanly() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    TestServer.TestApp app = server.app().create();
    Grant grant = flow.grant(app, SCOPE);
    TestServer.TestApp unredeemed = server.app().create();
    String code = flow.approve(unredeemed, SCOPE, List.of(SCOPE));
    TestServer.TestApp waiting = server.app().create();
    MoneiTestClient.ConsentScreen leftOpen = flow.openConsent(flow.authorizeUrl(waiting, SCOPE, "left-open"));
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), "wrong-password", "/").statusCode())
        .isEqualTo(401);
    assertThat(List.of(codeRows(code), accessRows(grant.access()), refreshRows(grant.refresh()), sessionRows(user),
        pendingRows(user), loginFailureRows())).as("rows before").allMatch(n -> n > 0);
    assertThat(loginSubjectRows()).as("sign-in subjects before").isPositive();

    // past the refresh token (30 days), the code (10 minutes + 1 day), the session, the pending request
    server.advance(Duration.ofDays(31).plusHours(1));
    int purged = server.services().housekeeping.purgeOnce();

    assertThat(purged).isGreaterThanOrEqualTo(6);
    assertThat(codeRows(code)).as("code").isZero();
    assertThat(accessRows(grant.access())).as("access token").isZero();
    assertThat(refreshRows(grant.refresh())).as("refresh token").isZero();
    assertThat(sessionRows(user)).as("session").isZero();
    assertThat(pendingRows(user)).as("pending authorization request").isZero();
    assertThat(loginFailureRows()).as("login failures older than the throttle window").isZero();
    assertThat(loginSubjectRows()).as("sign-in subjects without attempts in the throttle window").isZero();

    // what was purged is refused cleanly, never with a 500
    assertThat(exchangeError(unredeemed, code)).isEqualTo("invalid_grant");
    assertThat(channel.profileStatus(grant.access())).isEqualTo(401);
    assertThat(channel.refreshOutcome(app, grant.refresh())).isEqualTo("invalid_grant");
    HttpResponse<String> home = flow.get(server.url() + "/");
    assertThat(home.statusCode()).isEqualTo(302);
    assertThat(home.headers().firstValue("Location").orElseThrow()).startsWith("/login");
    HttpResponse<String> lateConsent = flow.submitConsent(leftOpen, "allow", List.of(SCOPE));
    assertThat(lateConsent.statusCode()).as(lateConsent.body()).isBetween(400, 499);
    assertThat(lateConsent.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void purgeOnceWhenThingsAreLiveThenTheyStayAndKeepWorking() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    TestServer.TestApp app = server.app().create();
    Grant grant = flow.grant(app, SCOPE);
    String code = flow.approve(server.app().create(), SCOPE, List.of(SCOPE));

    server.services().housekeeping.purgeOnce();

    assertThat(codeRows(code)).isEqualTo(1);
    assertThat(accessRows(grant.access())).isEqualTo(1);
    assertThat(refreshRows(grant.refresh())).isEqualTo(1);
    assertThat(sessionRows(user)).isEqualTo(1);
    assertThat(channel.profileStatus(grant.access())).isEqualTo(200);
    assertThat(flow.get(server.url() + "/").statusCode()).isEqualTo(200);
    assertThat(channel.refreshOutcome(app, grant.refresh())).isEqualTo("ok");
  }

  @Test
  void purgeOnceWhenRunAfterTheClockMovedThenTokensIssuedAfterwardsSurvive() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    Grant old = flow.grant(server.app().create(), SCOPE);
    server.advance(Duration.ofDays(31));
    MoneiTestClient again = new MoneiTestClient(server).signIn(user);
    TestServer.TestApp app = server.app().create();
    Grant fresh = again.grant(app, SCOPE);

    int purged = server.services().housekeeping.purgeOnce();

    assertThat(purged).isPositive();
    assertThat(accessRows(old.access())).isZero();
    assertThat(accessRows(fresh.access())).isEqualTo(1);
    assertThat(refreshRows(fresh.refresh())).isEqualTo(1);
    assertThat(channel.profileStatus(fresh.access())).isEqualTo(200);
    assertThat(again.get(server.url() + "/").statusCode()).isEqualTo(200);
    assertThat(channel.refreshOutcome(app, fresh.refresh())).isEqualTo("ok");
  }

  @Test
  void purgeOnceWhenCodeExpiredLessThanADayAgoThenKeptAndAfterADayRemoved() {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().create();
    String code = flow.approve(app, SCOPE, List.of(SCOPE));

    server.advance(Duration.ofMinutes(11));
    server.services().housekeeping.purgeOnce();
    assertThat(codeRows(code)).as("an expired code stays a day").isEqualTo(1);
    assertThat(exchangeError(app, code)).isEqualTo("invalid_grant");

    server.advance(Duration.ofDays(1));
    assertThat(server.services().housekeeping.purgeOnce()).isPositive();
    assertThat(codeRows(code)).isZero();
    assertThat(exchangeError(app, code)).isEqualTo("invalid_grant");
  }

  @Test
  void purgeOnceWhenUsedRefreshTokenStillWithinItsLifetimeThenKeptAndItsReplayStillRevokesTheFamily() {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().create();
    Grant grant = flow.grant(app, SCOPE);
    JsonNode gen1 = MoneiTestClient.json(channel.refresh(app, grant.refresh()));
    // past the grace window and the first two access tokens' lifetime
    server.advance(Duration.ofHours(2));
    JsonNode gen2 = MoneiTestClient.json(channel.refresh(app, gen1.get("refresh_token").asText()));
    String liveAccess = gen2.get("access_token").asText();

    int purged = server.services().housekeeping.purgeOnce();

    assertThat(purged).as("two expired access tokens at least").isGreaterThanOrEqualTo(2);
    assertThat(accessRows(grant.access())).isZero();
    assertThat(refreshRows(grant.refresh())).as("used refresh token kept for reuse detection").isEqualTo(1);
    assertThat(channel.profileStatus(liveAccess)).isEqualTo(200);

    assertThat(channel.refreshOutcome(app, grant.refresh())).isEqualTo("invalid_grant");
    assertThat(channel.profileStatus(liveAccess)).as("family revoked by the replay").isEqualTo(401);
    assertThat(channel.refreshOutcome(app, gen2.get("refresh_token").asText())).isEqualTo("invalid_grant");
  }

  @Test
  void purgeOnceWhenSecretRevealNeverOpenedAndExpiredThenRemoved() {
    User developer = server.user();
    MoneiTestClient portal = new MoneiTestClient(server).signIn(developer);
    HttpResponse<String> answer = portal.postMultipart(MoneiTestClient.PORTAL_APPS, new MoneiTestClient.Multipart()
        .field("csrf_token", portal.portalCsrf()).field("name", "Never Looked").field("redirect_uris",
            "http://localhost:3000/monei/callback").field("type", "confidential").emptyLogo());
    assertThat(answer.statusCode()).isEqualTo(303);
    String sql = "SELECT COUNT(*) AS n FROM secret_reveals r JOIN apps a ON a.client_id = r.client_id "
        + "WHERE a.owner_user_id = ?";
    assertThat(count(sql, developer.id())).isEqualTo(1);

    server.services().housekeeping.purgeOnce();
    assertThat(count(sql, developer.id())).as("still within its lifetime").isEqualTo(1);
    server.advance(Duration.ofMinutes(11));
    server.services().housekeeping.purgeOnce();

    assertThat(count(sql, developer.id())).isZero();
  }
}
