package com.monei.connect.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.monei.connect.server.Config;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.cli.MoneiCommand;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.MoneiTestClient.TwoStep;
import com.monei.connect.server.support.SoftwarePasskey;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.TotpCodes;
import com.monei.connect.server.support.WithTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 7 and 1.2 over real HTTP: turning the authenticator app on and off on /account/security,
 * signing in with the second step at /login/verify, single-use codes, recovery codes, the
 * lock-out, expiry, CSRF, and {@code users reset-2fa}. Codes are computed from the secret the page
 * shows by the tests' own {@link TotpCodes}, at the server's clock.
 */
@WithTestServer
class TwoStepVerificationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STEP = Duration.ofSeconds(30);

  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  // ---- enrolment

  @Test
  void enrolWhenWrongCodeThenRefusedAndRightCodeTurnsItOnShowingTenRecoveryCodesOnce() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    Document before = Jsoup.parse(browser.get(MoneiTestClient.SECURITY).body());
    assertThat(before.selectFirst("section#totp #totp-status").attr("data-enabled")).isEqualTo("false");

    HttpResponse<String> started = browser.startTotp();
    assertThat(started.statusCode()).isEqualTo(200);
    String secret = MoneiTestClient.shownSecret(started);
    assertThat(secret).matches("[A-Z2-7]{32}");
    assertThat(TotpCodes.decode(secret)).hasSize(20);
    Document page = Jsoup.parse(started.body());
    assertThat(page.select("img[src^=http]")).isEmpty();
    assertThat(readQrCode(page.selectFirst(".qr svg"))).isEqualTo("otpauth://totp/Monei:"
        + MoneiTestClient.enc(user.email()) + "?secret=" + secret + "&issuer=Monei&algorithm=SHA1&digits=6&period=30");

    HttpResponse<String> wrong = browser.confirmTotp(TotpCodes.at(secret, server.clock.instant().plus(
        Duration.ofMinutes(10))));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(MoneiTestClient.shownRecoveryCodes(wrong)).isEmpty();
    assertThat(MoneiTestClient.shownSecret(wrong)).as("the same secret, to try again").isEqualTo(secret);
    assertThat(server.services().secondFactor.enabled(user.id())).isFalse();

    HttpResponse<String> right = browser.confirmTotp(TotpCodes.at(secret, server.clock.instant()));
    assertThat(right.statusCode()).isEqualTo(200);
    List<String> codes = MoneiTestClient.shownRecoveryCodes(right);
    assertThat(codes).hasSize(10).doesNotHaveDuplicates();
    assertThat(new HashSet<>(codes)).allSatisfy(c -> assertThat(c).matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}"));
    assertThat(server.services().secondFactor.enabled(user.id())).isTrue();
    assertThat(events(user)).contains(AuditLog.TWO_STEP_ENABLED);

    HttpResponse<String> reload = browser.get(MoneiTestClient.SECURITY);
    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(MoneiTestClient.shownRecoveryCodes(reload)).isEmpty();
    assertThat(MoneiTestClient.shownSecret(reload)).isNull();
    assertThat(Jsoup.parse(reload.body()).selectFirst("#totp-status").attr("data-enabled")).isEqualTo("true");
    // The confirming POST again (a reload of that answer) uses a spent code: nothing shown again.
    HttpResponse<String> resubmitted = browser.confirmTotp(TotpCodes.at(secret, server.clock.instant()));
    assertThat(resubmitted.statusCode()).isEqualTo(409);
    assertThat(MoneiTestClient.shownRecoveryCodes(resubmitted)).isEmpty();
  }

  @Test
  void enrolWhenAlreadyOnThenRefusedAndTheSecretStaysTheSame() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    TwoStep twoStep = browser.enableTwoStep(server.clock.instant());

    HttpResponse<String> again = browser.startTotp();

    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(MoneiTestClient.shownSecret(again)).isNull();
    server.advance(STEP);
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode())
        .isEqualTo(303);
    assertThat(signInWithCode(user, TotpCodes.at(twoStep.secret(), server.clock.instant())).signedIn()).isTrue();
  }

  @Test
  void securityPageWhenNotSignedInThenLoginWithReturnTo() {
    HttpResponse<String> page = new MoneiTestClient(server).get(MoneiTestClient.SECURITY);

    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location")).hasValue("/login?return_to=%2Faccount%2Fsecurity");
  }

  @Test
  void storedSecretWhenOnThenEncryptedAndRecoveryCodesOnlyAsHashes() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    byte[] raw = TotpCodes.decode(twoStep.secret());

    String stored = server.services().db.read("SELECT secret FROM totp_secrets WHERE user_id = ?",
        rs -> rs.next() ? rs.getString("secret") : null, user.id());
    assertThat(stored).isNotNull().doesNotContain(twoStep.secret()).doesNotContain(twoStep.secret().toLowerCase());
    byte[] box = Base64.getUrlDecoder().decode(stored);
    assertThat(box.length).as("nonce, ciphertext, tag").isEqualTo(12 + 20 + 16);
    assertThat(indexOf(box, raw)).isEqualTo(-1);
    List<String> hashes = server.services().db.list("SELECT code_hash FROM recovery_codes WHERE user_id = ?",
        row -> row.getString("code_hash"), user.id());
    assertThat(hashes).hasSize(10);
    for (String code : twoStep.recoveryCodes()) {
      assertThat(hashes).noneSatisfy(h -> assertThat(h).contains(code.replace("-", "")));
    }
  }

  // ---- signing in with the second step

  @Test
  void signInWhenOnThenPasswordAloneDoesNotSignInAndTheCodeContinuesTheAuthorizationRequest() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    TestServer.TestApp app = server.app().create();
    MoneiTestClient browser = new MoneiTestClient(server);
    String authorize = browser.authorizeUrl(app, "profile:read", "st-2fa");
    HttpResponse<String> toLogin = browser.get(authorize);
    assertThat(toLogin.statusCode()).isEqualTo(302);
    String returnTo = MoneiTestClient.query(toLogin.headers().firstValue("Location").orElseThrow()).get("return_to");

    HttpResponse<String> password = browser.submitLogin(user.email(), TestServer.PASSWORD, returnTo);

    assertThat(password.statusCode()).isEqualTo(303);
    assertThat(password.headers().firstValue("Location")).hasValue("/login/verify");
    assertThat(browser.signedIn()).as("signed in by the password alone").isFalse();
    assertThat(browser.get(authorize).headers().firstValue("Location").orElseThrow()).startsWith("/login?");
    // One sign-in so far: the one that turned two-step verification on.
    assertThat(events(user)).contains(AuditLog.LOGIN_SECOND_STEP).containsOnlyOnce(AuditLog.LOGIN_OK);
    String anonymous = browser.cookie(server.services().config.sessionCookie());

    server.advance(STEP);
    HttpResponse<String> verified = browser.submitLoginCode(TotpCodes.at(twoStep.secret(), server.clock.instant()));

    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(303);
    assertThat(verified.headers().firstValue("Location")).hasValue(returnTo);
    assertThat(browser.cookie(server.services().config.sessionCookie())).as("a new session id").isNotEqualTo(anonymous);
    MoneiTestClient.ConsentScreen consent = MoneiTestClient.parseConsent(browser.follow(verified).body());
    assertThat(consent.offeredScopes()).containsExactly("profile:read");
    assertThat(events(user).stream().filter(AuditLog.LOGIN_OK::equals)).hasSize(2);
  }

  @Test
  void signInWhenOffThenPasswordAloneSignsInAsBefore() {
    User user = server.user();

    HttpResponse<String> answer = new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/");

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(answer.headers().firstValue("Location")).hasValue("/");
  }

  @Test
  void signInWhenCodeReplayedThenRefusedAndTheNextCodeWorks() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    server.advance(STEP);
    String code = TotpCodes.at(twoStep.secret(), server.clock.instant());
    assertThat(signInWithCode(user, code).signedIn()).isTrue();

    MoneiTestClient thief = new MoneiTestClient(server);
    assertThat(thief.submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode()).isEqualTo(303);
    HttpResponse<String> replay = thief.submitLoginCode(code);

    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(thief.signedIn()).isFalse();
    // The code of the step before is older than the one used: refused as well.
    HttpResponse<String> older = thief.submitLoginCode(TotpCodes.at(twoStep.secret(),
        server.clock.instant().minus(STEP)));
    assertThat(older.statusCode()).isEqualTo(401);
    server.advance(STEP);
    HttpResponse<String> next = thief.submitLoginCode(TotpCodes.at(twoStep.secret(), server.clock.instant()));
    assertThat(next.statusCode()).isEqualTo(303);
    assertThat(thief.signedIn()).isTrue();
  }

  @Test
  void signInWhenCodeOneStepOffThenAcceptedAndTwoStepsOffThenNot() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    server.advance(STEP.multipliedBy(4));
    MoneiTestClient browser = new MoneiTestClient(server);
    browser.submitLogin(user.email(), TestServer.PASSWORD, "/");

    HttpResponse<String> twoOff = browser.submitLoginCode(TotpCodes.at(twoStep.secret(),
        server.clock.instant().minus(STEP.multipliedBy(2))));
    HttpResponse<String> oneOff = browser.submitLoginCode(TotpCodes.at(twoStep.secret(),
        server.clock.instant().minus(STEP)));

    assertThat(twoOff.statusCode()).isEqualTo(401);
    assertThat(oneOff.statusCode()).isEqualTo(303);
  }

  @Test
  void signInWhenWrongCodesReachTheLimitThenThrottledEvenWithTheRightCode() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    server.advance(STEP);
    MoneiTestClient attacker = new MoneiTestClient(server);
    assertThat(attacker.submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode()).isEqualTo(303);
    String right = TotpCodes.at(twoStep.secret(), server.clock.instant());
    String wrong = right.equals("000000") ? "000001" : "000000";

    for (int i = 0; i < server.services().config.loginMaxFailures(); i++) {
      assertThat(attacker.submitLoginCode(wrong).statusCode()).as("wrong code %d", i + 1).isEqualTo(401);
    }
    HttpResponse<String> throttled = attacker.submitLoginCode(right);

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("900");
    assertThat(attacker.signedIn()).isFalse();
    // The password is throttled too: the wrong codes counted against the account.
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode())
        .isEqualTo(429);
  }

  @Test
  void signInWhenWrongCodesSentInParallelThenAtMostTheLimitAreCheckedAndTheRestThrottled() throws Exception {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    MoneiTestClient attacker = new MoneiTestClient(server);
    attacker.submitLogin(user.email(), TestServer.PASSWORD, "/");
    String right = TotpCodes.at(twoStep.secret(), server.clock.instant().plus(STEP));
    String wrong = right.equals("000000") ? "000001" : "000000";

    List<Integer> statuses = parallel(20, () -> attacker.submitLoginCode(wrong).statusCode());

    assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(401, 429));
    assertThat(statuses.stream().filter(s -> s != 429).count())
        .isLessThanOrEqualTo(server.services().config.loginMaxFailures());
  }

  @Test
  void signInWhenTheSameRightCodeIsSentTwiceAtOnceThenOneSignsIn() throws Exception {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    server.advance(STEP);
    String code = TotpCodes.at(twoStep.secret(), server.clock.instant());
    List<MoneiTestClient> browsers = List.of(new MoneiTestClient(server), new MoneiTestClient(server),
        new MoneiTestClient(server));
    for (MoneiTestClient b : browsers) b.submitLogin(user.email(), TestServer.PASSWORD, "/");
    AtomicInteger next = new AtomicInteger();

    List<Integer> statuses = parallel(browsers.size(),
        () -> browsers.get(next.getAndIncrement()).submitLoginCode(code).statusCode());

    assertThat(statuses).containsOnlyOnce(303).containsOnly(303, 401);
  }

  @Test
  void signInWhenRecoveryCodeThenWorksOnceEver() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    String recovery = twoStep.recoveryCodes().get(3);

    MoneiTestClient first = signInWithCode(user, " " + recovery.toUpperCase() + " ");
    assertThat(first.signedIn()).isTrue();
    assertThat(events(user)).contains(AuditLog.RECOVERY_CODE_USED);
    assertThat(Jsoup.parse(first.get(MoneiTestClient.SECURITY).body()).text()).contains("Unused recovery codes: 9");

    MoneiTestClient second = new MoneiTestClient(server);
    second.submitLogin(user.email(), TestServer.PASSWORD, "/");
    assertThat(second.submitLoginCode(recovery).statusCode()).isEqualTo(401);
    assertThat(second.signedIn()).isFalse();
    assertThat(second.submitLoginCode(twoStep.recoveryCodes().get(4)).statusCode()).isEqualTo(303);
  }

  @Test
  void signInWhenSecondStepNotTakenWithinFiveMinutesThenBackToLoginWithAMessage() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    MoneiTestClient browser = new MoneiTestClient(server);
    browser.submitLogin(user.email(), TestServer.PASSWORD, "/account/connections");
    String csrf = Jsoup.parse(browser.get("/login/verify").body()).selectFirst("input[name=csrf_token]").val();

    server.advance(Duration.ofMinutes(5).plusSeconds(1));
    HttpResponse<String> late = browser.postForm("/login/verify",
        Map.of("csrf_token", csrf, "code", TotpCodes.at(twoStep.secret(), server.clock.instant())));

    assertThat(late.statusCode()).isEqualTo(303);
    assertThat(late.headers().firstValue("Location"))
        .hasValue("/login?step=expired&return_to=%2Faccount%2Fconnections");
    assertThat(browser.signedIn()).isFalse();
    HttpResponse<String> login = browser.follow(late);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(login.body()).selectFirst("[role=alert]").text()).contains("5 minutes");
    assertThat(Jsoup.parse(login.body()).selectFirst("input[name=return_to]").val()).isEqualTo("/account/connections");
    assertThat(browser.get("/login/verify").statusCode()).isEqualTo(303);
  }

  @Test
  void verifyWhenNoSignInWaitingThenBackToLogin() {
    MoneiTestClient browser = new MoneiTestClient(server);

    HttpResponse<String> page = browser.get("/login/verify");

    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location").orElseThrow()).startsWith("/login?step=expired");
  }

  @Test
  void verifyWhenCodeMalformedThenRefusedAsWrongAndNeverAServerError() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    MoneiTestClient browser = new MoneiTestClient(server);
    browser.submitLogin(user.email(), TestServer.PASSWORD, "/");

    for (String code : List.of("x".repeat(5_000), "12345\u0000", "\u0661\u0662\u0663\u0664\u0665\u0666",
        "1234567", "-1")) {
      // A control byte is refused before the page (400); the rest are wrong codes (401).
      assertThat(browser.submitLoginCode(code).statusCode()).as("code %s", code.length() > 20 ? "huge" : code)
          .isIn(400, 401);
    }
    assertThat(browser.signedIn()).isFalse();
    HttpResponse<String> blank = browser.submitLoginCode(" ");
    assertThat(blank.statusCode()).isEqualTo(400);
    server.advance(STEP);
    assertThat(browser.submitLoginCode(TotpCodes.at(twoStep.secret(), server.clock.instant())).statusCode())
        .isEqualTo(303);
  }

  @Test
  void housekeepingWhenEnrolmentAbandonedADayThenItsSecretGoesAndConfirmedOnesAndFreshOnesStay() {
    User abandoned = server.user();
    User confirmed = server.user();
    new MoneiTestClient(server).signIn(abandoned).startTotp();
    new MoneiTestClient(server).signIn(confirmed).enableTwoStep(server.clock.instant());
    MoneiTestClient waiting = new MoneiTestClient(server);
    waiting.submitLogin(confirmed.email(), TestServer.PASSWORD, "/");
    server.advance(Duration.ofDays(1).plusMinutes(1));
    User fresh = server.user();
    new MoneiTestClient(server).signIn(fresh).startTotp();

    server.services().housekeeping.purgeOnce();

    assertThat(rows("totp_secrets", abandoned)).isZero();
    assertThat(rows("totp_secrets", confirmed)).isEqualTo(1);
    assertThat(rows("totp_secrets", fresh)).isEqualTo(1);
    assertThat(rows("login_verifications", confirmed)).isZero();
    assertThat(server.services().secondFactor.enabled(confirmed.id())).isTrue();
  }

  // ---- CSRF

  @Test
  void formsWhenCsrfTokenMissingOrWrongThenRefusedAndNothingChanges() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);

    assertThat(browser.postForm(MoneiTestClient.SECURITY + "/totp", Map.of()).statusCode()).isEqualTo(403);
    assertThat(browser.postForm(MoneiTestClient.SECURITY + "/totp", Map.of("csrf_token", "forged")).statusCode())
        .isEqualTo(403);
    assertThat(rows("totp_secrets", user)).isZero();

    TwoStep twoStep = browser.enableTwoStep(server.clock.instant());
    server.advance(STEP);
    String code = TotpCodes.at(twoStep.secret(), server.clock.instant());
    HttpResponse<String> disable = browser.postForm(MoneiTestClient.SECURITY + "/totp/disable",
        Map.of("password", TestServer.PASSWORD, "code", code));
    assertThat(disable.statusCode()).isEqualTo(403);
    assertThat(server.services().secondFactor.enabled(user.id())).isTrue();

    MoneiTestClient other = new MoneiTestClient(server);
    other.submitLogin(user.email(), TestServer.PASSWORD, "/");
    assertThat(other.get("/login/verify").statusCode()).isEqualTo(200);
    HttpResponse<String> noCsrf = other.postForm("/login/verify", Map.of("code", code));
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(other.signedIn()).isFalse();
    // The code was not spent by the refused form.
    assertThat(other.submitLoginCode(code).statusCode()).isEqualTo(303);
  }

  // ---- turning it off, new recovery codes, and other sessions

  @Test
  void turnOffWhenPasswordAndCodeRightThenOffOtherSessionsEndedAndPasswordAloneSignsIn() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    TwoStep twoStep = browser.enableTwoStep(server.clock.instant());
    server.advance(STEP);
    MoneiTestClient laptop = signInWithCode(user, TotpCodes.at(twoStep.secret(), server.clock.instant()));
    server.advance(STEP);
    String code = TotpCodes.at(twoStep.secret(), server.clock.instant());

    HttpResponse<String> wrongPassword = disable(browser, "not-the-password", code);
    assertThat(wrongPassword.statusCode()).isEqualTo(401);
    HttpResponse<String> wrongCode = disable(browser, TestServer.PASSWORD, code.equals("123456") ? "654321" : "123456");
    assertThat(wrongCode.statusCode()).isEqualTo(401);
    HttpResponse<String> noCode = disable(browser, TestServer.PASSWORD, "");
    assertThat(noCode.statusCode()).isEqualTo(401);
    assertThat(server.services().secondFactor.enabled(user.id())).isTrue();
    assertThat(laptop.signedIn()).isTrue();
    assertThat(events(user)).contains(AuditLog.TWO_STEP_CHANGE_REFUSED);

    HttpResponse<String> off = disable(browser, TestServer.PASSWORD, code);

    assertThat(off.statusCode()).isEqualTo(303);
    assertThat(off.headers().firstValue("Location")).hasValue("/account/security?notice=off");
    Document page = Jsoup.parse(browser.follow(off).body());
    assertThat(page.selectFirst("#totp-status").attr("data-enabled")).isEqualTo("false");
    assertThat(page.selectFirst(".notice").text()).contains("off");
    assertThat(browser.signedIn()).as("the session that turned it off").isTrue();
    assertThat(laptop.signedIn()).as("another session").isFalse();
    assertThat(events(user)).contains(AuditLog.TWO_STEP_DISABLED);
    assertThat(rows("recovery_codes", user)).isZero();
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/")
        .headers().firstValue("Location")).hasValue("/");
  }

  @Test
  void turnOnWhenConfirmedThenTheUsersOtherSessionsEndAndOtherUsersStay() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    MoneiTestClient phone = new MoneiTestClient(server).signIn(user);
    MoneiTestClient bystander = new MoneiTestClient(server).signIn(server.user());

    browser.enableTwoStep(server.clock.instant());

    assertThat(browser.signedIn()).isTrue();
    assertThat(phone.signedIn()).isFalse();
    assertThat(bystander.signedIn()).isTrue();
  }

  @Test
  void newRecoveryCodesWhenCodeRightThenOldOnesStopWorkingAndOtherSessionsEnd() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    TwoStep twoStep = browser.enableTwoStep(server.clock.instant());
    MoneiTestClient laptop = signInWithCode(user, twoStep.recoveryCodes().get(0));
    server.advance(STEP);

    HttpResponse<String> renewed = browser.postForm(MoneiTestClient.SECURITY + "/recovery-codes",
        Map.of("csrf_token", browser.securityCsrf(), "code", TotpCodes.at(twoStep.secret(), server.clock.instant())));

    assertThat(renewed.statusCode()).isEqualTo(200);
    List<String> fresh = MoneiTestClient.shownRecoveryCodes(renewed);
    assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(twoStep.recoveryCodes());
    assertThat(laptop.signedIn()).isFalse();
    assertThat(events(user)).contains(AuditLog.RECOVERY_CODES_REGENERATED);
    MoneiTestClient old = new MoneiTestClient(server);
    old.submitLogin(user.email(), TestServer.PASSWORD, "/");
    assertThat(old.submitLoginCode(twoStep.recoveryCodes().get(1)).statusCode()).isEqualTo(401);
    assertThat(old.submitLoginCode(fresh.get(0)).statusCode()).isEqualTo(303);
  }

  // ---- the seam other pages use

  @Test
  void secondFactorWhenCodeVerifiedThenUsedUp() {
    User user = server.user();
    TwoStep twoStep = new MoneiTestClient(server).signIn(user).enableTwoStep(server.clock.instant());
    server.advance(STEP);
    String code = TotpCodes.at(twoStep.secret(), server.clock.instant());
    SecondFactor secondFactor = server.services().secondFactor;

    assertThat(secondFactor.verify(user.id(), code)).isTrue();
    assertThat(secondFactor.verify(user.id(), code)).isFalse();
    assertThat(secondFactor.verify(server.user().id(), code)).isFalse();
    assertThat(secondFactor.verify(user.id(), null)).isFalse();
    assertThat(secondFactor.verify(user.id(), "x".repeat(10_000))).isFalse();
  }

  // ---- users reset-2fa

  @Test
  void resetTwoStepWhenRunThenOffRecoveryCodesGoneEverySessionEndedAndAudited() throws IOException {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    TwoStep twoStep = browser.enableTwoStep(server.clock.instant());
    SoftwarePasskey passkey = new SoftwarePasskey();
    assertThat(browser.addPasskey(passkey, "Lost phone").statusCode()).isEqualTo(201);
    MoneiTestClient laptop = signInWithCode(user, twoStep.recoveryCodes().get(0));
    MoneiTestClient bystander = new MoneiTestClient(server).signIn(server.user());

    Run run = cli("users", "reset-2fa", "--email", user.email().toUpperCase(), "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(json.get("email").asText()).isEqualTo(user.email());
    assertThat(json.get("was_enabled").asBoolean()).isTrue();
    assertThat(json.get("removed_recovery_codes").asInt()).isEqualTo(9);
    assertThat(json.get("removed_passkeys").asInt()).isEqualTo(1);
    assertThat(json.get("ended_sessions").asInt()).isEqualTo(2);
    assertThat(new MoneiTestClient(server).signInWithPasskey(passkey, "/").statusCode())
        .as("the removed passkey no longer signs in").isEqualTo(401);
    assertThat(browser.signedIn()).isFalse();
    assertThat(laptop.signedIn()).isFalse();
    assertThat(bystander.signedIn()).isTrue();
    assertThat(server.services().secondFactor.enabled(user.id())).isFalse();
    assertThat(events(user)).contains(AuditLog.TWO_STEP_RESET);
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/")
        .headers().firstValue("Location")).hasValue("/");
  }

  @Test
  void resetTwoStepWhenEmailUnknownThenOneLineErrorAndNonZeroExit() {
    Run run = cli("users", "reset-2fa", "--email", "nobody-" + System.nanoTime() + "@monei.test");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err().strip()).startsWith("error: no user with email").doesNotContain("\n");
    assertThat(run.out()).isEmpty();
  }

  // ---- helpers

  /** A new browser signed in as {@code user} with the password and then {@code code}. */
  private static MoneiTestClient signInWithCode(User user, String code) {
    MoneiTestClient browser = new MoneiTestClient(server);
    HttpResponse<String> password = browser.submitLogin(user.email(), TestServer.PASSWORD, "/");
    assertThat(password.headers().firstValue("Location")).hasValue("/login/verify");
    HttpResponse<String> verified = browser.submitLoginCode(code);
    assertThat(verified.statusCode()).as("second step: %s", verified.body()).isEqualTo(303);
    return browser;
  }

  private static HttpResponse<String> disable(MoneiTestClient browser, String password, String code) {
    return browser.postForm(MoneiTestClient.SECURITY + "/totp/disable",
        Map.of("csrf_token", browser.securityCsrf(), "password", password, "code", code));
  }

  private static List<String> events(User user) {
    return server.services().db.list("SELECT event FROM audit_events WHERE user_id = ?",
        row -> row.getString("event"), user.id());
  }

  /** Draws the page's SVG QR code (one path of unit squares) as pixels and reads it with ZXing. */
  private static String readQrCode(Element svg) {
    int size = Integer.parseInt(svg.attr("viewBox").split(" ")[2]);
    int scale = 4;
    int[] pixels = new int[size * scale * size * scale];
    Arrays.fill(pixels, 0xffffff);
    Matcher square = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(svg.selectFirst("path").attr("d"));
    while (square.find()) {
      int x = Integer.parseInt(square.group(1));
      int y = Integer.parseInt(square.group(2));
      for (int dy = 0; dy < scale; dy++) {
        Arrays.fill(pixels, (y * scale + dy) * size * scale + x * scale, (y * scale + dy) * size * scale + x * scale
            + scale, 0);
      }
    }
    try {
      return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
          new RGBLuminanceSource(size * scale, size * scale, pixels)))).getText();
    } catch (ReaderException e) {
      throw new AssertionError("the QR code does not read", e);
    }
  }

  private static int rows(String table, User user) {
    return server.services().db.<Integer>read("SELECT COUNT(*) AS n FROM " + table + " WHERE user_id = ?",
        rs -> rs.next() ? rs.getInt("n") : -1, user.id());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** Runs {@code task} {@code n} times at once and returns the results. */
  private static <T> List<T> parallel(int n, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** What one run of the command line printed and returned. */
  private record Run(int exit, String out, String err) {}

  /** The command line against the test server's own database (credentials in the URL). */
  private static Run cli(String... args) {
    Config config = server.services().config;
    String db = config.dbUser() == null ? config.dbUrl() : config.dbUrl() + "?user="
        + MoneiTestClient.enc(config.dbUser())
        + (config.dbPassword() == null ? "" : "&password=" + MoneiTestClient.enc(config.dbPassword()));
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--db";
    full[args.length + 1] = db;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = MoneiCommand.run(full, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
