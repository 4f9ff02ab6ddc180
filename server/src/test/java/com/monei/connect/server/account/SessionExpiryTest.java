package com.monei.connect.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.Config;
import com.monei.connect.server.support.MoneiServerExtension;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.ServerProcess;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.validation.ValidationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 1.2: a browser session ends MONEI_SESSION_IDLE seconds after its last request, and 12 hours
 * after sign-in however much it is used. Over HTTP, with the server's clock moved by the test.
 */
class SessionExpiryTest {
  private static final Duration IDLE = Duration.ofMinutes(10);
  /** How late past IDLE an unused session may still end: a tenth of IDLE, at most a minute. */
  private static final Duration SLACK = Duration.ofMinutes(1);
  private static final Duration SECOND = Duration.ofSeconds(1);

  @RegisterExtension
  static final MoneiServerExtension MONEI = MoneiServerExtension.with(c -> c.withSessionIdle(IDLE)).perMethod();

  @Test
  void sessionWhenUnusedLongerThanIdleThenSignedOutAndSigningInAgainWorks(TestServer server, MoneiTestClient browser) {
    User user = server.user();
    browser.signIn(user);

    server.advance(IDLE.plus(SLACK).plus(SECOND));

    assertThat(browser.signedIn()).as("signed in after idling").isFalse();
    assertThat(browser.signIn(user).signedIn()).isTrue();
  }

  @Test
  void sessionWhenUsedWithinIdleThenNeverSignedOutEvenWhenItsEndWasNotMoved(TestServer server,
      MoneiTestClient browser) {
    browser.signIn(server.user());
    server.advance(Duration.ofSeconds(30));
    assertThat(browser.signedIn()).isTrue();

    // The last request was IDLE minus a second ago, whether or not it moved the stored end.
    server.advance(IDLE.minus(SECOND));
    assertThat(browser.signedIn()).isTrue();
    server.advance(IDLE.minus(SECOND));
    assertThat(browser.signedIn()).isTrue();

    server.advance(IDLE.plus(SLACK).plus(SECOND));
    assertThat(browser.signedIn()).isFalse();
  }

  @Test
  void sessionWhenUsedEveryHalfIdleThenStaysSignedInLongPastIdle(TestServer server, MoneiTestClient browser) {
    browser.signIn(server.user());

    for (int i = 1; i <= 8; i++) {
      server.advance(IDLE.dividedBy(2));
      assertThat(browser.signedIn()).as("after %s of use", IDLE.dividedBy(2).multipliedBy(i)).isTrue();
    }
  }

  @Test
  void sessionWhenUsedConstantlyThenStillEndsTwelveHoursAfterSignIn(TestServer server, MoneiTestClient browser) {
    browser.signIn(server.user());
    Duration step = Duration.ofMinutes(5);

    Duration elapsed = Duration.ZERO;
    while (elapsed.plus(step).compareTo(Sessions.LIFETIME) < 0) {
      server.advance(step);
      elapsed = elapsed.plus(step);
      assertThat(browser.signedIn()).as("after %s", elapsed).isTrue();
    }
    server.advance(Sessions.LIFETIME.minus(elapsed));

    assertThat(browser.signedIn()).as("12 hours after sign-in").isFalse();
  }

  @Test
  void pageViewsWhenCloseTogetherThenTheStoredEndIsNotRewrittenEachTime(TestServer server,
      MoneiTestClient browser) {
    browser.signIn(server.user());
    String id = browser.cookie(server.services().config.sessionCookie());
    assertThat(id).as("session cookie after sign-in").isNotNull();
    long signedInEnd = storedEnd(server, id);

    server.advance(Duration.ofSeconds(20));
    assertThat(browser.signedIn()).isTrue();
    assertThat(storedEnd(server, id)).as("a view soon after sign-in writes nothing").isEqualTo(signedInEnd);

    server.advance(SLACK);
    assertThat(browser.signedIn()).isTrue();
    assertThat(storedEnd(server, id)).as("a later view moves the end").isGreaterThan(signedInEnd);
  }

  @Test
  void housekeepingWhenSessionIdledOutThenItsRowIsPurged(TestServer server, MoneiTestClient browser) {
    User idler = server.user();
    User active = server.user();
    browser.signIn(idler);
    MoneiTestClient other = new MoneiTestClient(server).signIn(active);

    server.advance(IDLE.dividedBy(2));
    assertThat(other.signedIn()).isTrue();
    server.advance(IDLE.dividedBy(2).plus(SLACK).plus(SECOND));
    server.services().housekeeping.purgeOnce();

    assertThat(sessionRows(server, idler)).isZero();
    assertThat(sessionRows(server, active)).isEqualTo(1);
    assertThat(other.signedIn()).isTrue();
  }

  @Test
  void configWhenSessionIdleUnsetThenDefaultOtherwiseTheGivenSeconds() {
    Config base = Config.defaults(8080);

    assertThat(Config.withEnvironment(base, Map.of()).sessionIdle()).isEqualTo(Duration.ofSeconds(1800));
    assertThat(Config.withEnvironment(base, Map.of("MONEI_SESSION_IDLE", "900")).sessionIdle())
        .isEqualTo(Duration.ofSeconds(900));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-60", "abc", "1.5", "30m", "43201", "99999999999999999999"})
  void configWhenSessionIdleInvalidThenRefusedNamingIt(String value) {
    assertThatThrownBy(() -> Config.withEnvironment(Config.defaults(8080), Map.of("MONEI_SESSION_IDLE", value)))
        .isInstanceOf(ValidationException.class).hasMessageStartingWith("MONEI_SESSION_IDLE must be");
  }

  @Test
  void serveWhenSessionIdleInvalidThenFailsToStartWithOneLine(@TempDir Path dir) {
    assertThatThrownBy(() -> ServerProcess.start("jdbc:sqlite:" + dir.resolve("idle.db"), null,
        Map.of("MONEI_SESSION_IDLE", "soon")).close())
        .hasMessageContaining("error: MONEI_SESSION_IDLE must be a whole number of seconds")
        .message().doesNotContain("Exception", "\tat ");
  }

  private static long storedEnd(TestServer server, String sessionId) {
    return server.services().db.read("SELECT expires_at FROM sessions WHERE id_hash = ?",
        rs -> rs.next() ? rs.getLong("expires_at") : -1L, Hashes.sha256(sessionId));
  }

  private static long sessionRows(TestServer server, User user) {
    return server.services().db.read("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?",
        rs -> rs.next() ? rs.getLong("n") : 0L, user.id());
  }
}
