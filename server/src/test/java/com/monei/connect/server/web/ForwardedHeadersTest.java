package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.http.TrustedProxies;
import com.monei.connect.server.support.MoneiServerExtension;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client IP and https behind a proxy (SPEC 1.2, MONEI_TRUSTED_PROXIES) over real HTTP. The test
 * client connects from loopback, so a server that trusts loopback sees it as a proxy, and one that
 * trusts nothing sees it as a client forging headers. MONEI_LOGIN_MAX_FAILURES is 2: 20 per IP.
 */
class ForwardedHeadersTest {
  private static final int IP_LIMIT = 20;
  private static final List<String> LOOPBACK = List.of("127.0.0.1", "0:0:0:0:0:0:0:1");

  @RegisterExtension
  static final MoneiServerExtension BEHIND_PROXY = MoneiServerExtension.with(c -> c.withLoginMaxFailures(2)
      .withTrustedProxies(TrustedProxies.parse("127.0.0.1/32, ::1, 10.0.0.0/8"))).perMethod();

  @Test
  void loginWhenOneForwardedAddressFailedFiftyTimesThenAnotherForwardedAddressStillSignsIn(TestServer server) {
    MoneiTestClient attacker = new MoneiTestClient(server);
    String csrf = attacker.loginCsrf();
    for (int i = 0; i < 50; i++) {
      int status = attacker.postLogin(server.url(), "spray" + i + "@monei.test", "guess", csrf, "/",
          "X-Forwarded-For", "203.0.113.66").statusCode();
      assertThat(status).as("attempt %d", i + 1).isEqualTo(i < IP_LIMIT ? 401 : 429);
    }
    User user = server.user();

    HttpResponse<String> fromElsewhere = login(server, user, TestServer.PASSWORD, "X-Forwarded-For", "198.51.100.9");
    HttpResponse<String> fromTheAttacker = login(server, user, TestServer.PASSWORD, "X-Forwarded-For", "203.0.113.66");

    assertThat(fromElsewhere.statusCode()).as("another client behind the same proxy").isEqualTo(303);
    assertThat(fromTheAttacker.statusCode()).as("the attacker's own address").isEqualTo(429);
    assertThat(auditedIps(server, user, AuditLog.LOGIN_OK)).containsExactly("198.51.100.9");
  }

  @Test
  void loginWhenIpv6FailuresReachTheLimitThenTheirWhole64IsThrottledAndNoOther(TestServer server) {
    MoneiTestClient attacker = new MoneiTestClient(server);
    String csrf = attacker.loginCsrf();
    for (int i = 0; i < IP_LIMIT; i++) {
      // A new address of the same /64 for every guess.
      assertThat(attacker.postLogin(server.url(), "spray" + i + "@monei.test", "guess", csrf, "/",
          "X-Forwarded-For", "2001:db8:1:2::" + Integer.toHexString(i + 1)).statusCode()).isEqualTo(401);
    }
    User user = server.user();

    HttpResponse<String> sameBlock = login(server, user, TestServer.PASSWORD, "X-Forwarded-For", "2001:db8:1:2:ff::1");
    HttpResponse<String> nextBlock = login(server, user, TestServer.PASSWORD, "X-Forwarded-For", "2001:db8:1:3::1");

    assertThat(sameBlock.statusCode()).isEqualTo(429);
    assertThat(nextBlock.statusCode()).isEqualTo(303);
    assertThat(auditedIps(server, user, AuditLog.LOGIN_OK)).containsExactly("2001:db8:1:3:0:0:0:1");
  }

  @Test
  void loginWhenForwardedThroughAChainThenTheRightmostUntrustedAddressIsTheClient(TestServer server) {
    User chained = server.user();
    User twoFields = server.user();
    User garbage = server.user();

    // The client forged the first entry; 203.0.113.5 reached the proxy 10.1.2.3, which reached us.
    login(server, chained, "wrong-password", "X-Forwarded-For", "198.51.100.1, 203.0.113.5, 10.1.2.3");
    login(server, twoFields, "wrong-password", "X-Forwarded-For", "198.51.100.1", "X-Forwarded-For", "203.0.113.6");
    login(server, garbage, "wrong-password", "X-Forwarded-For", "198.51.100.1, not-an-address");

    assertThat(auditedIps(server, chained, AuditLog.LOGIN_FAILED)).containsExactly("203.0.113.5");
    assertThat(auditedIps(server, twoFields, AuditLog.LOGIN_FAILED)).containsExactly("203.0.113.6");
    assertThat(auditedIps(server, garbage, AuditLog.LOGIN_FAILED)).as("garbage is no address: the proxy itself")
        .singleElement().isIn(LOOPBACK);
  }

  @Test
  void pagesWhenTrustedProxySaysHttpsThenSecureCookieAndHsts(TestServer server) {
    HttpResponse<String> overHttps = new MoneiTestClient(server).get("/login", "X-Forwarded-Proto", "https");
    HttpResponse<String> overHttp = new MoneiTestClient(server).get("/login", "X-Forwarded-Proto", "http");

    assertThat(overHttps.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    assertThat(overHttps.headers().firstValue("Strict-Transport-Security")).hasValue(SecurityHeaders.HSTS);
    assertThat(overHttp.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
    assertThat(overHttp.headers().firstValue("Strict-Transport-Security")).isEmpty();
  }

  @Test
  void loginWhenPeerUntrustedThenForwardedHeadersIgnoredAndLimitsKeyedOnThePeer() {
    try (TestServer direct = TestServer.start(c -> c.withLoginMaxFailures(2))) {
      MoneiTestClient attacker = new MoneiTestClient(direct);
      String csrf = attacker.loginCsrf();
      for (int i = 0; i < IP_LIMIT; i++) {
        assertThat(attacker.postLogin(direct.url(), "spray" + i + "@monei.test", "guess", csrf, "/",
            "X-Forwarded-For", "203.0.113." + i).statusCode()).as("attempt %d", i + 1).isEqualTo(401);
      }
      User user = direct.user();

      HttpResponse<String> forged = login(direct, user, TestServer.PASSWORD, "X-Forwarded-For", "198.51.100.9");
      HttpResponse<String> page = new MoneiTestClient(direct).get("/login", "X-Forwarded-Proto", "https");

      assertThat(forged.statusCode()).as("a forged address does not escape the peer's limit").isEqualTo(429);
      assertThat(auditedIps(direct, user, AuditLog.LOGIN_THROTTLED)).isEmpty();
      assertThat(direct.services().db.list("SELECT ip FROM audit_events WHERE event = ?", row -> row.getString("ip"),
          AuditLog.LOGIN_FAILED)).hasSize(IP_LIMIT).allSatisfy(ip -> assertThat(ip).isIn(LOOPBACK));
      assertThat(page.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
      assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
  }

  private static HttpResponse<String> login(TestServer server, User user, String password, String... headers) {
    MoneiTestClient browser = new MoneiTestClient(server);
    return browser.postLogin(server.url(), user.email(), password, browser.loginCsrf(), "/", headers);
  }

  private static List<String> auditedIps(TestServer server, User user, String event) {
    return server.services().db.list("SELECT ip FROM audit_events WHERE event = ? AND user_id = ?",
        row -> row.getString("ip"), event, user.id());
  }
}
