package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.SoftwarePasskey;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 7 passkeys over HTTP, with a software passkey making what a browser would send: adding,
 * renaming and removing one, signing in with it, and every way an assertion can be wrong (replayed,
 * another origin or RP id, another user's handle, no user verification, an unknown credential, no
 * CSRF token, malformed JSON). Nothing signs in on a failure, and the audit trail says what happened.
 */
@WithTestServer
class PasskeyTest {
  static TestServer server;
  static String rpId;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    rpId = URI.create(server.url()).getHost();
  }

  @Test
  void addWhenSignedInThenListedAuditedOtherSessionsEndAndItSignsIn() {
    User user = server.user();
    MoneiTestClient other = new MoneiTestClient(server).signIn(user);
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    SoftwarePasskey passkey = new SoftwarePasskey();

    HttpResponse<String> added = browser.addPasskey(passkey, "Work laptop");

    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(MoneiTestClient.json(added).path("redirect").asText()).isEqualTo("/account/security?passkey=added");
    Document page = Jsoup.parse(browser.get("/account/security").body());
    assertThat(page.select("li.passkey input[name=name]").eachAttr("value")).containsExactly("Work laptop");
    assertThat(page.select("#passkey-add")).hasSize(1);
    assertThat(events(user, AuditLog.PASSKEY_ADDED)).hasSize(1);
    assertThat(browser.signedIn()).as("the session that added it").isTrue();
    assertThat(other.signedIn()).as("another session of the user").isFalse();
    assertThat(passkey.userHandle()).as("the user handle is no personal data").doesNotContain("@");

    MoneiTestClient fresh = new MoneiTestClient(server);
    HttpResponse<String> signedIn = fresh.signInWithPasskey(passkey, "/account/connections");

    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    assertThat(MoneiTestClient.json(signedIn).path("redirect").asText()).isEqualTo("/account/connections");
    assertThat(fresh.signedIn()).isTrue();
    assertThat(events(user, AuditLog.LOGIN_OK)).anyMatch(detail -> detail != null && detail.startsWith("passkey "));
    assertThat(lastUsed(user)).as("last used is recorded").isNotNull();
  }

  @Test
  void signInWhenReturnToIsAnotherOriginThenHome() {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    HttpResponse<String> signedIn = new MoneiTestClient(server).signInWithPasskey(passkey, "//evil.example/x");
    assertThat(signedIn.statusCode()).isEqualTo(200);
    assertThat(MoneiTestClient.json(signedIn).path("redirect").asText()).isEqualTo("/");
  }

  @Test
  void signInWhenAssertionReplayedInTheSameSessionThenRefused() {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    String anonymous = browser.cookie(server.services().config.sessionCookie());
    JsonNode assertion = passkey.assertion(browser.passkeyChallenge(csrf), server.url(), rpId);
    assertThat(browser.postPasskeySignIn(assertion, csrf, "/").statusCode()).isEqualTo(200);

    // The same request again from the same (pre-sign-in) session: the challenge was used up.
    MoneiTestClient replayer = new MoneiTestClient(server);
    replayer.addCookie(server.services().config.sessionCookie(), anonymous, "/");
    HttpResponse<String> replayed = replayer.postPasskeySignIn(assertion, csrf, "/");

    assertRefused(replayed, replayer);
    assertThat(events(user, AuditLog.LOGIN_FAILED)).containsExactly("passkey: unknown or used challenge");
  }

  @Test
  void signInWhenOneAssertionIsSentTwiceAtOnceThenExactlyOneSignsIn() throws Exception {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    String anonymous = browser.cookie(server.services().config.sessionCookie());
    JsonNode assertion = passkey.assertion(browser.passkeyChallenge(csrf), server.url(), rpId);
    MoneiTestClient twin = new MoneiTestClient(server);
    twin.addCookie(server.services().config.sessionCookie(), anonymous, "/");

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> first = pool.submit(() -> browser.postPasskeySignIn(assertion, csrf, "/").statusCode());
      Future<Integer> second = pool.submit(() -> twin.postPasskeySignIn(assertion, csrf, "/").statusCode());
      assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(200, 401);
    } finally {
      pool.shutdown();
    }
    assertThat(events(user, AuditLog.LOGIN_OK)).filteredOn(d -> d != null && d.startsWith("passkey ")).hasSize(1);
  }

  @Test
  void signInWhenChallengeWasHandedToAnotherSessionThenRefused() {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    MoneiTestClient victim = new MoneiTestClient(server);
    String challenge = victim.passkeyChallenge(victim.loginCsrf());
    MoneiTestClient attacker = new MoneiTestClient(server);
    HttpResponse<String> answer = attacker.postPasskeySignIn(passkey.assertion(challenge, server.url(), rpId),
        attacker.loginCsrf(), "/");
    assertRefused(answer, attacker);
  }

  @Test
  void signInWhenAssertionIsForAnotherOriginOrRpIdThenRefused() {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();

    HttpResponse<String> otherOrigin = browser.postPasskeySignIn(
        passkey.assertion(browser.passkeyChallenge(csrf), "https://evil.example", rpId), csrf, "/");
    HttpResponse<String> otherRpId = browser.postPasskeySignIn(
        passkey.assertion(browser.passkeyChallenge(csrf), server.url(), "evil.example"), csrf, "/");

    assertRefused(otherOrigin, browser);
    assertRefused(otherRpId, browser);
    assertThat(events(user, AuditLog.LOGIN_FAILED)).containsExactlyInAnyOrder(
        "passkey: verification: BadOriginException", "passkey: verification: BadRpIdException");
  }

  @Test
  void signInWhenUserHandleIsAnotherUsersThenRefused() {
    User victim = server.user();
    User attacker = server.user();
    SoftwarePasskey attackers = registered(attacker);
    SoftwarePasskey victims = registered(victim);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();

    // The attacker's own credential, claiming to be the victim's user.
    HttpResponse<String> answer = browser.postPasskeySignIn(attackers.assertion(browser.passkeyChallenge(csrf),
        server.url(), rpId, victims.userHandle(), (byte) 0x05), csrf, "/");

    assertRefused(answer, browser);
    assertThat(events(attacker, AuditLog.LOGIN_FAILED))
        .containsExactly("passkey: user handle does not match the credential");
    assertThat(events(victim, AuditLog.LOGIN_FAILED)).isEmpty();
  }

  @Test
  void signInWhenSignedByAnotherKeyThenRefused() {
    User victim = server.user();
    registered(victim);
    String victimsCredential = server.services().passkeys.of(victim.id()).get(0).credentialId();
    SoftwarePasskey forger = registered(server.user());
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    ObjectNode forged = forger.assertion(browser.passkeyChallenge(csrf), server.url(), rpId,
        server.services().passkeys.of(victim.id()).get(0).userHandle(), (byte) 0x05);
    forged.put("id", victimsCredential).put("rawId", victimsCredential);

    assertRefused(browser.postPasskeySignIn(forged, csrf, "/"), browser);
    assertThat(events(victim, AuditLog.LOGIN_FAILED)).singleElement()
        .satisfies(detail -> assertThat(detail).startsWith("passkey: verification: "));
  }

  @Test
  void signInWhenUserNotVerifiedThenRefused() {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    HttpResponse<String> answer = browser.postPasskeySignIn(passkey.assertion(browser.passkeyChallenge(csrf),
        server.url(), rpId, passkey.userHandle(), (byte) 0x01), csrf, "/");
    assertRefused(answer, browser);
    assertThat(events(user, AuditLog.LOGIN_FAILED)).singleElement()
        .satisfies(detail -> assertThat(detail).contains("UserNotVerifiedException"));
  }

  @Test
  void signInWhenCredentialUnknownThenTheSameAnswerAsAWrongSignature() {
    User user = server.user();
    SoftwarePasskey known = registered(user);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    SoftwarePasskey unknown = new SoftwarePasskey();
    HttpResponse<String> unknownAnswer = browser.postPasskeySignIn(unknown.assertion(browser.passkeyChallenge(csrf),
        server.url(), rpId, known.userHandle(), (byte) 0x05), csrf, "/");
    HttpResponse<String> wrongOrigin = browser.postPasskeySignIn(known.assertion(browser.passkeyChallenge(csrf),
        "http://localhost:1", rpId), csrf, "/");

    assertRefused(unknownAnswer, browser);
    assertRefused(wrongOrigin, browser);
    // Each answer carries its own random request_id; everything else is the same.
    assertThat(unknownAnswer.body().replaceAll("\"request_id\":\"req_[0-9A-Za-z]+\"", ""))
        .isEqualTo(wrongOrigin.body().replaceAll("\"request_id\":\"req_[0-9A-Za-z]+\"", ""));
  }

  @Test
  void signInWhenFailuresReachTheLimitThenThrottledEvenWithTheRightPasskey() {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    for (int i = 0; i < server.services().config.loginMaxFailures(); i++) {
      HttpResponse<String> wrong = browser.postPasskeySignIn(passkey.assertion(browser.passkeyChallenge(csrf),
          "https://evil.example", rpId), csrf, "/");
      assertThat(wrong.statusCode()).isEqualTo(401);
    }
    HttpResponse<String> right = browser.postPasskeySignIn(passkey.assertion(browser.passkeyChallenge(csrf),
        server.url(), rpId), csrf, "/");

    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(MoneiTestClient.error(right)).isEqualTo("too_many_attempts");
    assertThat(browser.signedIn()).isFalse();
    // And a password sign-in of the same account is throttled too: one limit for both ways in.
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode())
        .isEqualTo(429);
  }

  @Test
  void ceremoniesWhenCsrfTokenMissingOrWrongThenForbidden() {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    JsonNode assertion = passkey.assertion(browser.passkeyChallenge(csrf), server.url(), rpId);

    HttpResponse<String> noToken = browser.postPasskeySignIn(assertion, null, "/");
    HttpResponse<String> otherSessionsToken = browser.postPasskeySignIn(assertion,
        new MoneiTestClient(server).loginCsrf(), "/");
    HttpResponse<String> optionsWithoutToken = browser.postJson("/login/passkey/options", "{}");

    for (HttpResponse<String> answer : List.of(noToken, otherSessionsToken, optionsWithoutToken)) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
      assertErrorShape(answer);
    }
    assertThat(browser.signedIn()).isFalse();

    MoneiTestClient owner = new MoneiTestClient(server).signIn(user);
    HttpResponse<String> addOptions = owner.postJson("/account/security/passkeys/options", "{}");
    HttpResponse<String> add = owner.postJson("/account/security/passkeys",
        "{\"csrf_token\": \"" + csrf + "\", \"name\": \"x\", \"credential\": {}}");
    assertThat(addOptions.statusCode()).isEqualTo(403);
    assertThat(add.statusCode()).isEqualTo(403);
    HttpResponse<String> remove = owner.postForm("/account/security/passkeys/" + passkeyId(user) + "/delete",
        Map.of("csrf_token", csrf));
    assertThat(remove.statusCode()).isEqualTo(403);
    assertThat(server.services().passkeys.of(user.id())).hasSize(1);
  }

  @Test
  void ceremoniesWhenJsonMalformedThenBadRequestInTheErrorShape() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    String csrf = browser.passkeysCsrf();
    MoneiTestClient anonymous = new MoneiTestClient(server);
    String loginCsrf = anonymous.loginCsrf();

    List<HttpResponse<String>> answers = List.of(
        anonymous.postJson("/login/passkey", "{\"csrf_token\": "),
        anonymous.postJson("/login/passkey", "[1, 2]"),
        anonymous.postJson("/login/passkey", "{\"csrf_token\": \"" + loginCsrf + "\", \"credential\": 7}"),
        anonymous.postJson("/login/passkey", "{\"csrf_token\": \"" + loginCsrf + "\", \"credential\": "
            + "{\"type\": \"public-key\", \"rawId\": \"!!\", \"response\": {}}}"),
        anonymous.postJson("/login/passkey", "{\"csrf_token\": \"" + loginCsrf + "\", \"credential\": "
            + "{\"type\": \"public-key\", \"rawId\": \"AAAA\", \"response\": {\"clientDataJSON\": \"AAAA\","
            + " \"authenticatorData\": \"AAAA\", \"signature\": \"AAAA\"}}}"),
        browser.postJson("/account/security/passkeys", "{\"csrf_token\": \"" + csrf + "\", \"name\": \"x\","
            + " \"credential\": {\"type\": \"public-key\", \"response\": {\"clientDataJSON\": \"e30\","
            + " \"attestationObject\": \"oA\"}}}"),
        browser.postJson("/account/security/passkeys", "{\"csrf_token\": \"" + csrf + "\", \"name\": \"x\"}"),
        browser.post("/account/security/passkeys/options", "application/json", "not json"));

    for (HttpResponse<String> answer : answers) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
      assertErrorShape(answer);
      assertThat(MoneiTestClient.error(answer)).isEqualTo("invalid_request");
    }
    assertThat(anonymous.signedIn()).isFalse();
  }

  @Test
  void addWhenChallengeUsedOrExpiredOrForAnotherOriginThenRefusedAndAudited() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    String csrf = browser.passkeysCsrf();
    JsonNode options = MoneiTestClient.json(browser.postJson("/account/security/passkeys/options",
        "{\"csrf_token\": \"" + csrf + "\"}"));
    SoftwarePasskey passkey = new SoftwarePasskey();
    ObjectNode wrongOrigin = passkey.register(options, "https://evil.example");

    HttpResponse<String> refused = browser.postJson("/account/security/passkeys",
        body(csrf, "Evil", wrongOrigin));
    HttpResponse<String> reused = browser.postJson("/account/security/passkeys",
        body(csrf, "Again", passkey.register(options, server.url())));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(MoneiTestClient.error(refused)).isEqualTo("passkey_refused");
    assertThat(reused.statusCode()).isEqualTo(400);
    assertThat(server.services().passkeys.of(user.id())).isEmpty();
    assertThat(events(user, AuditLog.PASSKEY_REFUSED)).containsExactlyInAnyOrder("verification: BadOriginException",
        "unknown or used challenge");
  }

  @Test
  void renameAndRemoveThenAuditedAndTheRemovedPasskeyNoLongerSignsIn() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    SoftwarePasskey passkey = new SoftwarePasskey();
    assertThat(browser.addPasskey(passkey, "Phone").statusCode()).isEqualTo(201);
    String id = passkeyId(user);
    String csrf = browser.passkeysCsrf();

    HttpResponse<String> renamed = browser.postForm("/account/security/passkeys/" + id + "/rename",
        Map.of("csrf_token", csrf, "name", "Old phone"));
    assertThat(renamed.statusCode()).isEqualTo(303);
    Document page = Jsoup.parse(browser.follow(renamed).body());
    assertThat(page.select("li.passkey input[name=name]").eachAttr("value")).containsExactly("Old phone");
    assertThat(page.select(".notice").text()).isEqualTo("Your passkey was renamed.");
    HttpResponse<String> tooLong = browser.postForm("/account/security/passkeys/" + id + "/rename",
        Map.of("csrf_token", csrf, "name", "x".repeat(61)));
    assertThat(tooLong.statusCode()).isEqualTo(400);

    MoneiTestClient signedInWithIt = new MoneiTestClient(server);
    assertThat(signedInWithIt.signInWithPasskey(passkey, "/").statusCode()).isEqualTo(200);
    MoneiTestClient stranger = new MoneiTestClient(server).signIn(server.user());
    HttpResponse<String> notTheirs = stranger.postForm("/account/security/passkeys/" + id + "/delete",
        Map.of("csrf_token", stranger.passkeysCsrf()));
    assertThat(notTheirs.statusCode()).isEqualTo(404);

    HttpResponse<String> removed = browser.postForm("/account/security/passkeys/" + id + "/delete",
        Map.of("csrf_token", csrf));

    assertThat(removed.statusCode()).isEqualTo(303);
    assertThat(removed.headers().firstValue("Location")).hasValue("/account/security?passkey=removed");
    assertThat(server.services().passkeys.of(user.id())).isEmpty();
    assertThat(events(user, AuditLog.PASSKEY_RENAMED)).containsExactly(id);
    assertThat(events(user, AuditLog.PASSKEY_REMOVED)).containsExactly(id);
    assertThat(signedInWithIt.signedIn()).as("the session signed in with it ended").isFalse();
    assertThat(browser.signedIn()).isTrue();
    MoneiTestClient again = new MoneiTestClient(server);
    assertRefused(again.signInWithPasskey(passkey, "/"), again);
  }

  @Test
  void removeAllOfWhenOperatorResetsThenEveryPasskeyOfThatUserGoes() {
    User user = server.user();
    User other = server.user();
    registered(user);
    registered(user);
    registered(other);
    assertThat(server.services().passkeys.removeAllOf(user.id())).isEqualTo(2);
    assertThat(server.services().passkeys.of(user.id())).isEmpty();
    assertThat(server.services().passkeys.of(other.id())).hasSize(1);
  }

  @Test
  void signInWhenChallengeOlderThanFiveMinutesThenRefused() {
    User user = server.user();
    SoftwarePasskey passkey = registered(user);
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    String challenge = browser.passkeyChallenge(csrf);
    server.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertRefused(browser.postPasskeySignIn(passkey.assertion(challenge, server.url(), rpId), csrf, "/"), browser);

    server.services().housekeeping.purgeOnce();
    assertThat(server.services().db.findOne("SELECT COUNT(*) AS n FROM webauthn_challenges WHERE expires_at < ?",
        row -> row.getLong("n"), server.clock.millis())).as("expired challenges purged").hasValue(0L);
  }

  @Test
  void securityPageWhenSignedOutThenSentToLogin() {
    HttpResponse<String> page = new MoneiTestClient(server).get("/account/security");
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location")).hasValue("/login?return_to=%2Faccount%2Fsecurity");
    HttpResponse<String> options = new MoneiTestClient(server).postJson("/account/security/passkeys/options", "{}");
    assertThat(options.statusCode()).isEqualTo(401);
    assertErrorShape(options);
  }

  @Test
  void loginPageWhenLoadedThenOffersPasskeyFromAScriptFileOnly() {
    Document login = Jsoup.parse(new MoneiTestClient(server).get("/login").body());
    assertThat(login.select("button#passkey-signin[hidden]")).hasSize(1);
    assertThat(login.select("script")).allSatisfy(s -> {
      assertThat(s.attr("src")).startsWith("/static/");
      assertThat(s.data()).isBlank();
    });
    HttpResponse<String> script = new MoneiTestClient(server).get(PasskeyRoutes.SCRIPT);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/javascript"));
  }

  private static SoftwarePasskey registered(User user) {
    SoftwarePasskey passkey = new SoftwarePasskey();
    HttpResponse<String> added = new MoneiTestClient(server).signIn(user).addPasskey(passkey, "Key");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    return passkey;
  }

  private static String body(String csrf, String name, JsonNode credential) {
    return "{\"csrf_token\": \"" + csrf + "\", \"name\": \"" + name + "\", \"credential\": " + credential + "}";
  }

  private static String passkeyId(User user) {
    return server.services().passkeys.of(user.id()).get(0).id();
  }

  private static void assertRefused(HttpResponse<String> answer, MoneiTestClient browser) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    assertErrorShape(answer);
    assertThat(MoneiTestClient.error(answer)).isEqualTo("access_denied");
    assertThat(answer.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(browser.signedIn()).as("signed in after a refused assertion").isFalse();
  }

  private static void assertErrorShape(HttpResponse<String> answer) {
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode body = MoneiTestClient.json(answer);
    assertThat(body.path("error").asText()).isNotBlank();
    assertThat(body.path("error_description").asText()).isNotBlank();
    assertThat(body.path("message").asText()).isNotBlank();
  }

  private static List<String> events(User user, String event) {
    return server.services().db.list("SELECT detail FROM audit_events WHERE event = ? AND user_id = ?",
        row -> row.getString("detail"), event, user.id());
  }

  private static String lastUsed(User user) {
    return server.services().db.findOne("SELECT last_used_at FROM passkeys WHERE user_id = ?",
        row -> row.getString("last_used_at"), user.id()).orElse(null);
  }
}
