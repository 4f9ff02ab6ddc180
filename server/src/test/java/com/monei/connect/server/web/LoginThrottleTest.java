package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiServerExtension;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sign-in throttling over real HTTP: per account, per IP, and the window that lifts it. */
class LoginThrottleTest {
  // A fresh server per test: failure counts (per account and per IP) and the clock must start clean.
  @RegisterExtension
  static final MoneiServerExtension MONEI = MoneiServerExtension.with(c -> c.withLoginMaxFailures(3)).perMethod();

  @Test
  void loginWhenAccountFailedMaxTimesThenThrottledUntilWindowPasses(TestServer throttled) {
    User victim = throttled.user();
    User bystander = throttled.user();
    MoneiTestClient attacker = new MoneiTestClient();
    String csrf = csrfOf(throttled, attacker, "/");
    for (int i = 0; i < 3; i++) {
      assertThat(postLogin(throttled, attacker, victim.email(), "guess-" + i, csrf, "/").statusCode())
          .as("failure %d", i + 1).isEqualTo(401);
    }

    MoneiTestClient owner = new MoneiTestClient();
    HttpResponse<String> rightPassword = postLogin(throttled, owner, victim.email(), TestServer.PASSWORD,
        csrfOf(throttled, owner, "/"), "/");
    MoneiTestClient other = new MoneiTestClient();
    HttpResponse<String> otherAccount = postLogin(throttled, other, bystander.email(), TestServer.PASSWORD,
        csrfOf(throttled, other, "/"), "/");

    assertThat(rightPassword.statusCode()).isEqualTo(429);
    assertThat(rightPassword.headers().firstValue("Location")).isEmpty();
    assertThat(get(throttled, owner, "/").statusCode()).as("not signed in").isEqualTo(302);
    assertThat(otherAccount.statusCode()).as("another account from the same IP").isEqualTo(303);

    throttled.advance(Duration.ofMinutes(16));
    HttpResponse<String> later = postLogin(throttled, owner, victim.email(), TestServer.PASSWORD,
        csrfOf(throttled, owner, "/"), "/");
    assertThat(later.statusCode()).as("after the window").isEqualTo(303);
  }

  @Test
  void loginWhenAccountThrottledThenCaseOfEmailDoesNotEvadeIt(TestServer throttled) {
    User victim = throttled.user();
    MoneiTestClient attacker = new MoneiTestClient();
    String csrf = csrfOf(throttled, attacker, "/");
    for (int i = 0; i < 3; i++) postLogin(throttled, attacker, victim.email(), "guess-" + i, csrf, "/");

    HttpResponse<String> shouted = postLogin(throttled, attacker, " " + victim.email().toUpperCase() + " ",
        TestServer.PASSWORD, csrf, "/");

    assertThat(shouted.statusCode()).isEqualTo(429);
  }

  @Test
  void loginWhenIpFailedTenTimesMaxThenThrottledForFreshAccountUntilWindowPasses(TestServer throttled) {
    User fresh = throttled.user();
    MoneiTestClient attacker = new MoneiTestClient();
    String csrf = csrfOf(throttled, attacker, "/");
    // 15 accounts x 2 failures: no account reaches its own limit of 3, the IP reaches 30.
    for (int i = 0; i < 29; i++) {
      assertThat(postLogin(throttled, attacker, "spray" + (i % 15) + "@monei.test", "guess", csrf, "/")
          .statusCode()).as("failure %d", i + 1).isEqualTo(401);
    }
    MoneiTestClient before = new MoneiTestClient();
    assertThat(postLogin(throttled, before, fresh.email(), TestServer.PASSWORD,
        csrfOf(throttled, before, "/"), "/").statusCode()).as("29 failures: still allowed").isEqualTo(303);
    assertThat(postLogin(throttled, attacker, "spray14@monei.test", "guess", csrf, "/").statusCode())
        .as("failure 30").isEqualTo(401);

    MoneiTestClient owner = new MoneiTestClient();
    HttpResponse<String> blocked = postLogin(throttled, owner, fresh.email(), TestServer.PASSWORD,
        csrfOf(throttled, owner, "/"), "/");

    assertThat(blocked.statusCode()).isEqualTo(429);
    throttled.advance(Duration.ofMinutes(16));
    HttpResponse<String> later = postLogin(throttled, owner, fresh.email(), TestServer.PASSWORD,
        csrfOf(throttled, owner, "/"), "/");
    assertThat(later.statusCode()).as("after the window").isEqualTo(303);
  }
  // ---- helpers ----

  private static String csrfOf(TestServer s, MoneiTestClient browser, String returnTo) {
    HttpResponse<String> page = browser.get(s.url() + "/login?return_to=" + MoneiTestClient.enc(returnTo));
    assertThat(page.statusCode()).isEqualTo(200);
    return Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();
  }

  private static HttpResponse<String> postLogin(TestServer s, MoneiTestClient browser, String email, String password,
      String csrf, String returnTo) {
    return browser.postLogin(s.url(), email, password, csrf, returnTo);
  }

  private static HttpResponse<String> get(TestServer s, MoneiTestClient browser, String path) {
    return browser.get(s.url() + path);
  }
}
