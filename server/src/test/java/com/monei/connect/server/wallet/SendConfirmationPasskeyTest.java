package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.SoftwarePasskey;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.Hashes;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answering a send confirmation (SPEC 1.6) with a passkey instead of the code or password, over real
 * HTTP with a software passkey: confirm and reject, and every way the answer must be refused (another
 * user's passkey, a challenge of another confirmation or session, a replay, no CSRF token, malformed
 * JSON, no passkey at all, too many failures). Nothing is decided on a refusal; the ledger holds.
 */
@WithTestServer
class SendConfirmationPasskeyTest {
  static TestServer server;
  static String rpId;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    rpId = URI.create(server.url()).getHost();
  }

  @AfterEach
  void ledgerHolds() {
    LedgerInvariants.check(server.services().db);
  }

  /** A sender with NGN 1000.00, a passkey and a grant confirming above NGN 100.00; signed in in {@code browser}. */
  record Setup(User sender, User recipient, String token, MoneiTestClient browser, SoftwarePasskey passkey) {
    String ask(String key, String amount) {
      HttpResponse<String> asked = send(key, amount);
      assertThat(asked.statusCode()).as(asked.body()).isEqualTo(403);
      assertThat(MoneiTestClient.error(asked)).isEqualTo("confirmation_required");
      return MoneiTestClient.json(asked).get("confirmation_url").asText();
    }

    HttpResponse<String> send(String key, String amount) {
      return browser.sendMoney(token, key, "{\"to\":\"" + recipient.email() + "\",\"amount\":\"" + amount
          + "\",\"currency\":\"NGN\",\"note\":\"rent\"}");
    }
  }

  static Setup setup() {
    User sender = server.user();
    User recipient = server.user();
    server.credit(sender, "NGN", "1000.00");
    MoneiTestClient browser = new MoneiTestClient(server).signIn(sender);
    SoftwarePasskey passkey = new SoftwarePasskey();
    HttpResponse<String> added = browser.addPasskey(passkey, "Phone");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    JsonNode tokens = browser.grantSend(server.app().name("Corner Shop").create(), "wallet:read wallet:send",
        "1000.00", "NGN", "100.00");
    return new Setup(sender, recipient, tokens.get("access_token").asText(), browser, passkey);
  }

  @Test
  void confirmWhenWithOwnPasskeyThenRetryExecutesOnce() {
    Setup s = setup();
    String key = key();
    String url = s.ask(key, "300.00");
    Document page = Jsoup.parse(s.browser().get(url).body());
    assertThat(page.select("#passkey-answer[hidden] button#passkey-confirm")).hasSize(1);
    assertThat(page.select("#passkey-answer[hidden] button#passkey-reject")).hasSize(1);
    assertThat(page.select("form[method=post] input[name=password]")).as("the form stays").hasSize(1);
    assertThat(page.select("script")).allSatisfy(script -> assertThat(script.attr("src")).startsWith("/static/"));

    HttpResponse<String> answered = s.browser().answerWithPasskey(s.passkey(), url, "confirm");

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(MoneiTestClient.json(answered).path("redirect").asText()).isEqualTo(URI.create(url).getPath());
    assertThat(answered.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(s.browser().get(url).body()).contains("You confirmed this payment");
    assertThat(balance(s.sender())).as("confirming moves nothing by itself").isEqualTo("1000.00");
    HttpResponse<String> done = s.send(key, "300.00");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    HttpResponse<String> again = s.send(key, "300.00");
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(balance(s.sender())).isEqualTo("700.00");
    assertThat(balance(s.recipient())).isEqualTo("300.00");
    assertThat(confirmationEvents(s.sender())).containsExactlyInAnyOrder("send_confirmation.asked",
        "send_confirmation.confirmed");
    assertThat(failures(s.sender())).as("the attempt was taken back once it succeeded").isZero();
    assertThat(server.services().passkeys.of(s.sender().id())).singleElement()
        .satisfies(p -> assertThat(p.lastUsedAt()).as("the use is recorded").isNotNull());
  }

  @Test
  void rejectWhenWithOwnPasskeyThenRetryRejectedAndNothingMoves() {
    Setup s = setup();
    String key = key();
    String url = s.ask(key, "300.00");

    HttpResponse<String> answered = s.browser().answerWithPasskey(s.passkey(), url, "reject");

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(s.browser().get(url).body()).contains("You rejected this payment");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> retry = s.send(key, "300.00");
      assertThat(retry.statusCode()).isEqualTo(403);
      assertThat(MoneiTestClient.error(retry)).isEqualTo("confirmation_rejected");
    }
    assertThat(balance(s.sender())).isEqualTo("1000.00");
    assertThat(confirmationEvents(s.sender())).containsExactlyInAnyOrder("send_confirmation.asked",
        "send_confirmation.rejected");
  }

  @Test
  void answerWhenTwoStepIsOnThenAPasskeyStillProvesTheUser() {
    Setup s = setup();
    s.browser().enableTwoStep(server.services().clock.instant());
    String key = key();
    String url = s.ask(key, "300.00");
    assertThat(Jsoup.parse(s.browser().get(url).body()).select("form[method=post] input[name=code]")).hasSize(1);

    assertThat(s.browser().answerWithPasskey(s.passkey(), url, "confirm").statusCode()).isEqualTo(200);
    assertThat(s.send(key, "300.00").statusCode()).isEqualTo(201);
  }

  @Test
  void answerWhenAssertedWithAnotherUsersPasskeyThenRefusedAndNothingDecided() {
    Setup s = setup();
    Setup other = setup();
    String key = key();
    String url = s.ask(key, "300.00");
    String csrf = s.browser().confirmationCsrf(url);
    String challenge = challenge(s.browser(), url, csrf);

    // The other user's own credential, with their own user handle, on this user's challenge.
    HttpResponse<String> answered = s.browser().postPasskeyAnswer(url, csrf, "confirm",
        other.passkey().assertion(challenge, server.url(), rpId));

    assertRefused(answered);
    assertPending(s, key, "300.00");
    assertThat(proofFailures(s.sender())).singleElement()
        .satisfies(detail -> assertThat(detail).endsWith(": passkey: not a credential of the user"));
    assertThat(proofFailures(other.sender())).isEmpty();
  }

  @Test
  void answerWhenChallengeWasForAnotherConfirmationOrSessionThenRefused() {
    Setup s = setup();
    String firstKey = key();
    String first = s.ask(firstKey, "300.00");
    String secondKey = key();
    String second = s.ask(secondKey, "200.00");
    String firstCsrf = s.browser().confirmationCsrf(first);
    String secondCsrf = s.browser().confirmationCsrf(second);

    // A challenge handed out for the first confirmation does not answer the second.
    String forFirst = challenge(s.browser(), first, firstCsrf);
    assertRefused(s.browser().postPasskeyAnswer(second, secondCsrf, "confirm",
        s.passkey().assertion(forFirst, server.url(), rpId)));
    // Nor does one handed to another session of the same user answer this session's.
    MoneiTestClient elsewhere = new MoneiTestClient(server).signIn(s.sender());
    String otherSessions = challenge(elsewhere, first, elsewhere.confirmationCsrf(first));
    assertRefused(s.browser().postPasskeyAnswer(first, firstCsrf, "confirm",
        s.passkey().assertion(otherSessions, server.url(), rpId)));
    // Nor one of signing in.
    MoneiTestClient login = new MoneiTestClient(server);
    String signIn = login.passkeyChallenge(login.loginCsrf());
    assertRefused(s.browser().postPasskeyAnswer(first, firstCsrf, "confirm",
        s.passkey().assertion(signIn, server.url(), rpId)));

    assertPending(s, firstKey, "300.00");
    assertPending(s, secondKey, "200.00");
    assertThat(proofFailures(s.sender())).hasSize(3)
        .allSatisfy(detail -> assertThat(detail).endsWith(": passkey: unknown or used challenge"));
  }

  @Test
  void answerWhenAssertionReplayedThenDecidesNothingMore() {
    Setup s = setup();
    String firstKey = key();
    String first = s.ask(firstKey, "300.00");
    String secondKey = key();
    String second = s.ask(secondKey, "200.00");
    String csrf = s.browser().confirmationCsrf(first);
    JsonNode assertion = s.passkey().assertion(challenge(s.browser(), first, csrf), server.url(), rpId);
    assertThat(s.browser().postPasskeyAnswer(first, csrf, "reject", assertion).statusCode()).isEqualTo(200);

    // Again on the same confirmation: it is answered, so the page is all there is to see.
    HttpResponse<String> replayed = s.browser().postPasskeyAnswer(first, csrf, "confirm", assertion);
    assertThat(replayed.statusCode()).isEqualTo(200);
    assertThat(MoneiTestClient.error(s.send(firstKey, "300.00"))).isEqualTo("confirmation_rejected");
    // On another open confirmation, even with its own CSRF token: refused, its challenge was used.
    assertRefused(s.browser().postPasskeyAnswer(second, s.browser().confirmationCsrf(second), "confirm",
        assertion));
    // And the very request again while the confirmation is open: its challenge is used up.
    String secondCsrf = s.browser().confirmationCsrf(second);
    JsonNode bad = s.passkey().assertion(challenge(s.browser(), second, secondCsrf), "https://evil.example",
        rpId);
    assertRefused(s.browser().postPasskeyAnswer(second, secondCsrf, "confirm", bad));
    assertRefused(s.browser().postPasskeyAnswer(second, secondCsrf, "confirm", bad));

    assertPending(s, secondKey, "200.00");
    assertThat(confirmationEvents(s.sender())).filteredOn(AuditLog.SEND_REJECTED::equals).hasSize(1);
    assertThat(confirmationEvents(s.sender())).doesNotContain(AuditLog.SEND_CONFIRMED);
    assertThat(proofFailures(s.sender())).extracting(d -> d.substring(d.indexOf(": ") + 2)).containsExactly(
        "passkey: unknown or used challenge", "passkey: verification: BadOriginException",
        "passkey: unknown or used challenge");
  }

  @Test
  void answerWhenUserNotVerifiedThenRefused() {
    Setup s = setup();
    String key = key();
    String url = s.ask(key, "300.00");
    String csrf = s.browser().confirmationCsrf(url);
    JsonNode noUv = s.passkey().assertion(challenge(s.browser(), url, csrf), server.url(), rpId,
        s.passkey().userHandle(), (byte) 0x01);
    assertRefused(s.browser().postPasskeyAnswer(url, csrf, "confirm", noUv));
    assertPending(s, key, "300.00");
  }

  @Test
  void answerWhenFailuresReachTheLimitThenThrottledEvenWithTheRightPasskey() {
    Setup s = setup();
    String key = key();
    String url = s.ask(key, "300.00");
    String csrf = s.browser().confirmationCsrf(url);
    for (int i = 0; i < server.services().config.loginMaxFailures(); i++) {
      JsonNode wrong = s.passkey().assertion(challenge(s.browser(), url, csrf), "https://evil.example", rpId);
      assertRefused(s.browser().postPasskeyAnswer(url, csrf, "confirm", wrong));
    }
    JsonNode right = s.passkey().assertion(challenge(s.browser(), url, csrf), server.url(), rpId);
    HttpResponse<String> throttled = s.browser().postPasskeyAnswer(url, csrf, "confirm", right);

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertErrorShape(throttled);
    assertThat(MoneiTestClient.error(throttled)).isEqualTo("too_many_attempts");
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    assertPending(s, key, "300.00");
    // One limit for every way in: the password at sign-in is throttled too.
    assertThat(new MoneiTestClient(server).submitLogin(s.sender().email(), TestServer.PASSWORD, "/").statusCode())
        .isEqualTo(429);
  }

  @Test
  void answerWhenCsrfTokenMissingOrAnotherPagesThenForbidden() {
    Setup s = setup();
    String key = key();
    String url = s.ask(key, "300.00");
    String other = s.ask(key(), "200.00");
    String csrf = s.browser().confirmationCsrf(url);
    JsonNode assertion = s.passkey().assertion(challenge(s.browser(), url, csrf), server.url(), rpId);

    List<HttpResponse<String>> answers = List.of(
        s.browser().confirmationPasskeyOptions(url, null),
        s.browser().confirmationPasskeyOptions(url, s.browser().confirmationCsrf(other)),
        s.browser().postPasskeyAnswer(url, null, "confirm", assertion),
        s.browser().postPasskeyAnswer(url, s.browser().confirmationCsrf(other), "confirm", assertion));

    for (HttpResponse<String> answer : answers) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
      assertErrorShape(answer);
    }
    assertPending(s, key, "300.00");
    // The challenge was never reached: the right request still decides.
    assertThat(s.browser().postPasskeyAnswer(url, csrf, "confirm", assertion).statusCode()).isEqualTo(200);
  }

  @Test
  void answerWhenJsonMalformedThenBadRequestInTheErrorShape() {
    Setup s = setup();
    String key = key();
    String url = s.ask(key, "300.00");
    String csrf = s.browser().confirmationCsrf(url);
    String start = "{\"csrf_token\": \"" + csrf + "\", ";
    MoneiTestClient b = s.browser();

    List<HttpResponse<String>> answers = List.of(
        b.postJson(url + "/passkey/options", "{\"csrf_token\": "),
        b.postJson(url + "/passkey/options", "[1]"),
        b.post(url + "/passkey/options", "application/json", "not json"),
        b.postJson(url + "/passkey", "{\"csrf_token\": "),
        b.postJson(url + "/passkey", start + "\"decision\": \"maybe\", \"credential\": {}}"),
        b.postJson(url + "/passkey", start + "\"decision\": \"confirm\", \"credential\": 7}"),
        b.postJson(url + "/passkey", start + "\"decision\": \"confirm\", \"credential\": "
            + "{\"type\": \"public-key\", \"rawId\": \"!!\", \"response\": {}}}"),
        b.postJson(url + "/passkey", start + "\"decision\": \"confirm\", \"credential\": "
            + "{\"type\": \"public-key\", \"rawId\": \"AAAA\", \"response\": {\"clientDataJSON\": \"AAAA\","
            + " \"authenticatorData\": \"AAAA\", \"signature\": \"AAAA\"}}}"));

    for (HttpResponse<String> answer : answers) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
      assertErrorShape(answer);
      assertThat(MoneiTestClient.error(answer)).isEqualTo("invalid_request");
    }
    assertPending(s, key, "300.00");
  }

  @Test
  void optionsWhenUserHasNoPasskeyThenRefusedAndThePageOffersNone() {
    User sender = server.user();
    server.credit(sender, "NGN", "1000.00");
    MoneiTestClient browser = new MoneiTestClient(server).signIn(sender);
    String token = browser.grantSend(server.app().create(), "wallet:send", "1000.00", "NGN", "100.00")
        .get("access_token").asText();
    HttpResponse<String> asked = browser.sendMoney(token, key(), "{\"to\":\"" + server.user().email()
        + "\",\"amount\":\"300.00\",\"currency\":\"NGN\"}");
    String url = MoneiTestClient.json(asked).get("confirmation_url").asText();
    Document page = Jsoup.parse(browser.get(url).body());
    assertThat(page.select("#passkey-confirm, #passkey-reject, #passkey-answer")).isEmpty();

    HttpResponse<String> options = browser.confirmationPasskeyOptions(url, browser.confirmationCsrf(url));

    assertThat(options.statusCode()).as(options.body()).isEqualTo(400);
    assertErrorShape(options);
    assertThat(MoneiTestClient.json(options).path("message").asText()).contains("no passkey");
  }

  @Test
  void endpointsWhenAnotherUsersOrUnknownOrSignedOutThenLikeThePage() {
    Setup s = setup();
    Setup other = setup();
    String key = key();
    String url = s.ask(key, "300.00");
    String othersCsrf = other.browser().confirmationCsrf(other.ask(key(), "300.00"));
    String unknown = server.url() + "/confirm/cfm_" + "A".repeat(22);

    for (HttpResponse<String> answer : List.of(
        other.browser().confirmationPasskeyOptions(url, othersCsrf),
        other.browser().postPasskeyAnswer(url, othersCsrf, "confirm",
            other.passkey().assertion("AAAA", server.url(), rpId)),
        s.browser().confirmationPasskeyOptions(unknown, othersCsrf),
        s.browser().confirmationPasskeyOptions(server.url() + "/confirm/nope", othersCsrf))) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
      assertErrorShape(answer);
    }
    HttpResponse<String> signedOut = new MoneiTestClient(server).confirmationPasskeyOptions(url, othersCsrf);
    assertThat(signedOut.statusCode()).isEqualTo(401);
    assertErrorShape(signedOut);

    // Answered: no new challenge for it, even with the token of the page as it was.
    String csrf = s.browser().confirmationCsrf(url);
    assertThat(s.browser().answerWithPasskey(s.passkey(), url, "confirm").statusCode()).isEqualTo(200);
    HttpResponse<String> closed = s.browser().confirmationPasskeyOptions(url, csrf);
    assertThat(closed.statusCode()).isEqualTo(409);
    assertErrorShape(closed);
  }

  private static String challenge(MoneiTestClient browser, String url, String csrf) {
    HttpResponse<String> options = browser.confirmationPasskeyOptions(url, csrf);
    assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
    JsonNode json = MoneiTestClient.json(options);
    assertThat(json.path("userVerification").asText()).isEqualTo("required");
    assertThat(json.path("rpId").asText()).isEqualTo(rpId);
    return json.path("challenge").asText();
  }

  private static void assertRefused(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    assertErrorShape(answer);
    assertThat(MoneiTestClient.error(answer)).isEqualTo("access_denied");
    assertThat(MoneiTestClient.json(answer).path("message").asText()).contains("Nothing was decided");
  }

  /** The send still waits for its confirmation: nothing was decided and nothing moved. */
  private static void assertPending(Setup s, String key, String amount) {
    HttpResponse<String> retry = s.send(key, amount);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(403);
    assertThat(MoneiTestClient.error(retry)).isEqualTo("confirmation_required");
    assertThat(balance(s.sender())).isEqualTo("1000.00");
  }

  private static void assertErrorShape(HttpResponse<String> answer) {
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode body = MoneiTestClient.json(answer);
    assertThat(body.path("error").asText()).isNotBlank();
    assertThat(body.path("message").asText()).isNotBlank();
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  private static String balance(User user) {
    for (Balance b : server.services().wallets.walletOf(user.id()).balances())
      if (b.currency().code().equals("NGN")) return Amounts.format(b.availableMinor(), b.currency());
    return "0.00";
  }

  private static List<String> confirmationEvents(User user) {
    return server.services().db.list("SELECT event FROM audit_events WHERE user_id = ? AND event LIKE ?",
        row -> row.getString("event"), user.id(), "send_confirmation.%");
  }

  private static List<String> proofFailures(User user) {
    return server.services().db.list("SELECT detail FROM audit_events WHERE user_id = ? AND event = ? ORDER BY at",
        row -> row.getString("detail"), user.id(), AuditLog.SEND_CONFIRMATION_PROOF_FAILED);
  }

  private static long failures(User user) {
    return server.services().db.findOne("SELECT COUNT(*) AS n FROM login_failures WHERE subject = ?",
        row -> row.getLong("n"), "account:" + Hashes.sha256(user.email())).orElse(0L);
  }
}
