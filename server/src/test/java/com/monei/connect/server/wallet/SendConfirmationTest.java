package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.TotpCodes;
import com.monei.connect.server.support.WithTestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends the user confirms (SPEC 1.6, *Send confirmation*) over real HTTP: the 403 that moves nothing,
 * the same confirmation for the same request, the page where the user answers with a fresh proof,
 * the retry that executes once, and every way a confirmation must not be used; the ledger's
 * invariants hold after each case.
 */
@WithTestServer
class SendConfirmationTest {
  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @AfterEach
  void ledgerHolds() {
    LedgerInvariants.check(server.services().db);
  }

  /** A sender with NGN 1000.00 who granted an app wallet:send, signed in in {@code browser}, and a recipient. */
  record Setup(User sender, User recipient, TestServer.TestApp app, String token, MoneiTestClient browser,
      JsonNode tokens) {}

  static Setup setup(String limit, String confirmAbove) {
    User sender = server.user();
    User recipient = server.user();
    server.credit(sender, "NGN", "1000.00");
    TestServer.TestApp app = server.app().name("Corner Shop").create();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(sender);
    JsonNode tokens = browser.grantSend(app, "wallet:read wallet:send", limit, "NGN", confirmAbove);
    return new Setup(sender, recipient, app, tokens.get("access_token").asText(), browser, tokens);
  }

  static String body(User to, String amount) {
    return "{\"to\":\"" + to.email() + "\",\"amount\":\"" + amount + "\",\"currency\":\"NGN\",\"note\":\"rent\"}";
  }

  static HttpResponse<String> send(Setup s, String key, String body) {
    return s.browser().sendMoney(s.token(), key, body);
  }

  static String key() {
    return UUID.randomUUID().toString();
  }

  static String balance(User user) {
    for (Balance b : server.services().wallets.walletOf(user.id()).balances())
      if (b.currency().code().equals("NGN")) return Amounts.format(b.availableMinor(), b.currency());
    return "0.00";
  }

  static JsonNode confirmationRequired(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    JsonNode body = MoneiTestClient.json(response);
    assertThat(body.get("error").asText()).isEqualTo("confirmation_required");
    return body;
  }

  /** Answers the confirmation on its page in {@code browser}, with {@code password} as the proof. */
  static HttpResponse<String> answer(MoneiTestClient browser, String url, String decision, String password) {
    HttpResponse<String> page = browser.get(url);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Element form = Jsoup.parse(page.body()).selectFirst("form[method=post]");
    assertThat(form).as("an open confirmation has a form: %s", page.body()).isNotNull();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("csrf_token", form.selectFirst("input[name=csrf_token]").val());
    fields.put("decision", decision);
    fields.put("password", password);
    return browser.postForm(url, fields);
  }

  static void confirm(Setup s, String url) {
    HttpResponse<String> answered = answer(s.browser(), url, "confirm", TestServer.PASSWORD);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(303);
    assertThat(answered.headers().firstValue("Location").orElseThrow()).isEqualTo(URI.create(url).getPath());
  }

  static List<String> auditEvents(User user) {
    return server.services().db.list("SELECT event FROM audit_events WHERE user_id = ? AND event LIKE ? ORDER BY at",
        row -> row.getString("event"), user.id(), "send_confirmation.%");
  }

  static long sendsBy(User user) {
    return server.services().db.list("SELECT id FROM ledger_transactions WHERE initiated_by = ?",
        row -> row.getString("id"), user.id()).size();
  }

  @Test
  void sendWhenAtOrBelowThresholdThenMovesMoneyAtOnce() {
    Setup s = setup("1000.00", "100.00");
    assertThat(send(s, key(), body(s.recipient(), "40.00")).statusCode()).isEqualTo(201);
    // Strictly more than the threshold needs confirming; exactly the threshold does not.
    assertThat(send(s, key(), body(s.recipient(), "100.00")).statusCode()).isEqualTo(201);
    assertThat(balance(s.sender())).isEqualTo("860.00");
    assertThat(balance(s.recipient())).isEqualTo("140.00");
    assertThat(auditEvents(s.sender())).isEmpty();
  }

  @Test
  void sendWhenAboveThresholdThenConfirmationRequiredAndNothingMoves() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    HttpResponse<String> response = send(s, key, body(s.recipient(), "100.01"));
    JsonNode first = confirmationRequired(response);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    String id = first.get("confirmation_id").asText();
    assertThat(id).matches("cfm_[0-9A-Za-z]{22}");
    assertThat(first.get("confirmation_url").asText()).isEqualTo(server.issuer() + "/confirm/" + id);
    assertThat(first.get("expires_in").asLong()).isEqualTo(600);
    assertThat(first.get("error_description").asText()).isNotBlank();
    assertThat(first.get("message").asText()).isEqualTo(first.get("error_description").asText());
    assertThat(balance(s.sender())).isEqualTo("1000.00");
    assertThat(balance(s.recipient())).isEqualTo("0.00");

    // The same request again, before the user acts: the same confirmation, with less time left.
    server.advance(Duration.ofSeconds(5));
    JsonNode again = confirmationRequired(send(s, key, body(s.recipient(), "100.01")));
    assertThat(again.get("confirmation_id").asText()).isEqualTo(id);
    assertThat(again.get("confirmation_url").asText()).isEqualTo(first.get("confirmation_url").asText());
    assertThat(again.get("expires_in").asLong()).isEqualTo(595);
    assertThat(balance(s.sender())).isEqualTo("1000.00");
    assertThat(auditEvents(s.sender())).containsExactlyInAnyOrder("send_confirmation.asked");
  }

  @Test
  void pageWhenOpenedThenShowsAppAmountRecipientNoteAndExpiry() {
    Setup s = setup("1000.00", "100.00");
    String url = confirmationRequired(send(s, key(), body(s.recipient(), "250.00"))).get("confirmation_url").asText();
    HttpResponse<String> page = s.browser().get(url);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    Document doc = Jsoup.parse(page.body());
    String text = doc.body().text();
    assertThat(text).contains("Corner Shop").contains("NGN 250.00").contains(s.recipient().name())
        .contains(s.recipient().email()).contains("rent").contains("UTC");
    assertThat(doc.select("form[method=post] input[name=password][type=password]")).hasSize(1);
    assertThat(doc.select("form[method=post] input[name=code]")).isEmpty();
    assertThat(doc.select("button[name=decision][value=confirm]")).hasSize(1);
    assertThat(doc.select("button[name=decision][value=reject]")).hasSize(1);
  }

  @Test
  void pageWhenNotSignedInThenLoginReturnsToIt() {
    Setup s = setup("1000.00", "100.00");
    String url = confirmationRequired(send(s, key(), body(s.recipient(), "250.00"))).get("confirmation_url").asText();
    String path = URI.create(url).getPath();
    MoneiTestClient fresh = new MoneiTestClient(server);
    HttpResponse<String> redirect = fresh.get(url);
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location").orElseThrow())
        .isEqualTo("/login?return_to=" + MoneiTestClient.enc(path));
    HttpResponse<String> signedIn = fresh.submitLogin(s.sender().email(), TestServer.PASSWORD, path);
    assertThat(signedIn.statusCode()).isEqualTo(303);
    assertThat(signedIn.headers().firstValue("Location")).hasValue(path);
    assertThat(fresh.follow(signedIn).body()).contains("NGN 250.00");
  }

  @Test
  void retryWhenConfirmedThenExecutesOnceAndReplaysAfter() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    confirm(s, url);
    assertThat(s.browser().get(url).body()).contains("You confirmed this payment");
    assertThat(balance(s.sender())).as("confirming moves nothing by itself").isEqualTo("1000.00");

    HttpResponse<String> done = send(s, key, body);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    JsonNode txn = MoneiTestClient.json(done);
    assertThat(txn.get("amount").asText()).isEqualTo("300.00");
    assertThat(txn.get("type").asText()).isEqualTo("send");
    assertThat(done.headers().firstValue("Idempotent-Replayed")).isEmpty();

    HttpResponse<String> third = send(s, key, body);
    assertThat(third.statusCode()).isEqualTo(201);
    assertThat(third.body()).isEqualTo(done.body());
    assertThat(third.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(balance(s.sender())).isEqualTo("700.00");
    assertThat(balance(s.recipient())).isEqualTo("300.00");
    assertThat(sendsBy(s.sender())).isEqualTo(1);
    assertThat(auditEvents(s.sender()))
        .containsExactlyInAnyOrder("send_confirmation.asked", "send_confirmation.confirmed");
  }

  @Test
  void retryWhenConfirmedButFundsOrLimitNoLongerAllowThenCheckedAgain() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "900.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    confirm(s, url);
    // Meanwhile the app spent most of the limit on small sends.
    for (int i = 0; i < 2; i++) assertThat(send(s, key(), body(s.recipient(), "100.00")).statusCode()).isEqualTo(201);
    HttpResponse<String> retry = send(s, key, body);
    assertThat(retry.statusCode()).isEqualTo(403);
    assertThat(MoneiTestClient.error(retry)).isEqualTo("send_limit_exceeded");
    assertThat(balance(s.sender())).isEqualTo("800.00");
  }

  @Test
  void retriesWhenConcurrentAfterConfirmationThenOneTransfer() throws Exception {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "500.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    confirm(s, url);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<HttpResponse<String>>> retries = new ArrayList<>();
      for (int i = 0; i < 8; i++) retries.add(() -> send(s, key, body));
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> f : pool.invokeAll(retries)) answers.add(f.get());
      assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(201);
      Set<String> ids =
          answers.stream().map(r -> MoneiTestClient.json(r).get("id").asText()).collect(Collectors.toSet());
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(sendsBy(s.sender())).isEqualTo(1);
    assertThat(balance(s.sender())).isEqualTo("500.00");
    assertThat(balance(s.recipient())).isEqualTo("500.00");
  }

  @Test
  void requestsWhenConcurrentBeforeAnswerThenOneConfirmation() throws Exception {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "400.00");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<HttpResponse<String>>> requests = new ArrayList<>();
      for (int i = 0; i < 8; i++) requests.add(() -> send(s, key, body));
      Set<String> ids = new HashSet<>();
      for (Future<HttpResponse<String>> f : pool.invokeAll(requests))
        ids.add(confirmationRequired(f.get()).get("confirmation_id").asText());
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(auditEvents(s.sender())).containsExactly("send_confirmation.asked");
    assertThat(balance(s.sender())).isEqualTo("1000.00");
  }

  @Test
  void retryWhenRejectedThenConfirmationRejectedAndNothingMoves() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    HttpResponse<String> rejected = answer(s.browser(), url, "reject", TestServer.PASSWORD);
    assertThat(rejected.statusCode()).isEqualTo(303);
    assertThat(s.browser().get(url).body()).contains("You rejected this payment");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> retry = send(s, key, body);
      assertThat(retry.statusCode()).isEqualTo(403);
      assertThat(MoneiTestClient.error(retry)).isEqualTo("confirmation_rejected");
    }
    // Answered once: the page has no form any more and a second answer changes nothing.
    assertThat(Jsoup.parse(s.browser().get(url).body()).select("form[method=post]")).isEmpty();
    assertThat(balance(s.sender())).isEqualTo("1000.00");
    assertThat(sendsBy(s.sender())).isZero();
    assertThat(auditEvents(s.sender()))
        .containsExactlyInAnyOrder("send_confirmation.asked", "send_confirmation.rejected");
  }

  @Test
  void confirmationWhenExpiredUnansweredThenNextRequestMakesANewOne() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    JsonNode first = confirmationRequired(send(s, key, body));
    String url = first.get("confirmation_url").asText();
    HttpResponse<String> page = s.browser().get(url);
    String csrf = Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();
    server.advance(Duration.ofSeconds(601));

    assertThat(s.browser().get(url).body()).contains("expired");
    // An answer to the expired one decides nothing.
    HttpResponse<String> late = s.browser().postForm(url,
        Map.of("csrf_token", csrf, "decision", "confirm", "password", TestServer.PASSWORD));
    assertThat(late.statusCode()).isEqualTo(303);
    assertThat(s.browser().follow(late).body()).contains("expired");

    JsonNode second = confirmationRequired(send(s, key, body));
    assertThat(second.get("confirmation_id").asText()).isNotEqualTo(first.get("confirmation_id").asText());
    assertThat(second.get("expires_in").asLong()).isEqualTo(600);
    confirm(s, second.get("confirmation_url").asText());
    assertThat(send(s, key, body).statusCode()).isEqualTo(201);
    assertThat(balance(s.sender())).isEqualTo("700.00");
  }

  @Test
  void sameKeyWhenBodyChangedThen409AndNoTransfer() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    HttpResponse<String> changed = send(s, key, body(s.recipient(), "310.00"));
    assertThat(changed.statusCode()).isEqualTo(409);
    assertThat(MoneiTestClient.error(changed)).isEqualTo("idempotency_key_reused");

    confirm(s, url);
    // After the user confirmed 300.00, neither another amount nor other bytes under the key are let through.
    assertThat(send(s, key, body(s.recipient(), "310.00")).statusCode()).isEqualTo(409);
    assertThat(send(s, key, body.replace(",", ", ")).statusCode()).isEqualTo(409);
    assertThat(send(s, key, body(s.recipient(), "50.00")).statusCode()).isEqualTo(409);
    assertThat(balance(s.sender())).isEqualTo("1000.00");
    assertThat(send(s, key, body).statusCode()).isEqualTo(201);
    assertThat(balance(s.sender())).isEqualTo("700.00");
  }

  @Test
  void confirmationWhenUsedWithAnotherKeyAppOrUserThenAuthorizesNothing() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    JsonNode asked = confirmationRequired(send(s, key, body));
    String id = asked.get("confirmation_id").asText();
    confirm(s, asked.get("confirmation_url").asText());

    // Another key, same user, app and body.
    assertThat(confirmationRequired(send(s, key(), body)).get("confirmation_id").asText()).isNotEqualTo(id);
    // Another app of the same user, same key and body.
    TestServer.TestApp other = server.app().name("Other Shop").create();
    String otherToken = s.browser().grantSend(other, "wallet:send", "1000.00", "NGN", "100.00")
        .get("access_token").asText();
    JsonNode viaOtherApp = confirmationRequired(s.browser().sendMoney(otherToken, key, body));
    assertThat(viaOtherApp.get("confirmation_id").asText()).isNotEqualTo(id);
    // Another user, same app, key and body.
    User stranger = server.user();
    server.credit(stranger, "NGN", "1000.00");
    MoneiTestClient strangerBrowser = new MoneiTestClient(server).signIn(stranger);
    String strangerToken = strangerBrowser.grantSend(s.app(), "wallet:send", "1000.00", "NGN", "100.00")
        .get("access_token").asText();
    JsonNode viaStranger = confirmationRequired(strangerBrowser.sendMoney(strangerToken, key, body));
    assertThat(viaStranger.get("confirmation_id").asText()).isNotEqualTo(id);

    assertThat(balance(s.sender())).isEqualTo("1000.00");
    assertThat(balance(stranger)).isEqualTo("1000.00");
    assertThat(balance(s.recipient())).isEqualTo("0.00");
    assertThat(send(s, key, body).statusCode()).isEqualTo(201);
    assertThat(balance(s.recipient())).isEqualTo("300.00");
  }

  @Test
  void pageWhenOpenedByAnotherUserThen404LikeAnUnknownId() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    MoneiTestClient other = new MoneiTestClient(server).signIn(s.recipient());
    HttpResponse<String> theirs = other.get(url);
    HttpResponse<String> unknown = other.get("/confirm/cfm_" + "A".repeat(22));
    assertThat(theirs.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(theirs.body()).isEqualTo(unknown.body()).doesNotContain("300.00");
    assertThat(other.get("/confirm/not-an-id").statusCode()).isEqualTo(404);

    // Their own session's token for the page would not help either: the POST is a 404 too.
    HttpResponse<String> post = other.postForm(url, Map.of("csrf_token", "x", "decision", "confirm",
        "password", TestServer.PASSWORD));
    assertThat(post.statusCode()).isEqualTo(404);
    assertThat(confirmationRequired(send(s, key, body)).get("confirmation_url").asText()).isEqualTo(url);
  }

  @Test
  void decisionWhenWithoutOrWithWrongCsrfThenRefusedAndNothingDecided() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    HttpResponse<String> none = s.browser().postForm(url, Map.of("decision", "confirm", "password",
        TestServer.PASSWORD));
    assertThat(none.statusCode()).isEqualTo(403);
    HttpResponse<String> wrong = s.browser().postForm(url, Map.of("csrf_token", "forged", "decision", "confirm",
        "password", TestServer.PASSWORD));
    assertThat(wrong.statusCode()).isEqualTo(403);
    // Signed out, the form is refused too.
    HttpResponse<String> anonymous = new MoneiTestClient(server).postForm(url, Map.of("csrf_token", "x",
        "decision", "confirm", "password", TestServer.PASSWORD));
    assertThat(anonymous.statusCode()).isEqualTo(403);
    confirmationRequired(send(s, key, body));
    assertThat(auditEvents(s.sender())).containsExactlyInAnyOrder("send_confirmation.asked");
  }

  @Test
  void decisionWhenMalformedThenPageAgainAndNothingDecided() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    assertThat(answer(s.browser(), url, "maybe", TestServer.PASSWORD).statusCode()).isEqualTo(400);
    assertThat(answer(s.browser(), url, "confirm", "").statusCode()).isEqualTo(400);
    confirmationRequired(send(s, key, body));
  }

  /** Answers the confirmation on its page in {@code browser}, with a second-step {@code code} as the proof. */
  static HttpResponse<String> answerWithCode(MoneiTestClient browser, String url, String code) {
    Element form = Jsoup.parse(browser.get(url).body()).selectFirst("form[method=post]");
    return browser.postForm(url, Map.of("csrf_token", form.selectFirst("input[name=csrf_token]").val(),
        "decision", "confirm", "code", code));
  }

  @Test
  void decisionWhenTwoStepOnThenACurrentCodeIsTheProofNotThePassword() {
    Setup s = setup("1000.00", "100.00");
    MoneiTestClient.TwoStep twoStep = s.browser().enableTwoStep(server.services().clock.instant());
    String key = key();
    String body = body(s.recipient(), "300.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();

    Element form = Jsoup.parse(s.browser().get(url).body()).selectFirst("form[method=post]");
    assertThat(form.select("input[name=code]")).as("the page asks for a code").isNotEmpty();
    assertThat(form.select("input[name=password]")).as("and not the password").isEmpty();
    HttpResponse<String> byPassword = answer(s.browser(), url, "confirm", TestServer.PASSWORD);
    assertThat(byPassword.statusCode()).as("the password alone proves nothing here").isIn(400, 401);
    // The code that turned two-step on is used up: only a later one counts.
    String used = TotpCodes.at(twoStep.secret(), server.services().clock.instant());
    assertThat(answerWithCode(s.browser(), url, used).statusCode()).isEqualTo(401);
    confirmationRequired(send(s, key, body));

    server.advance(Duration.ofSeconds(30));
    String code = TotpCodes.at(twoStep.secret(), server.services().clock.instant());
    assertThat(answerWithCode(s.browser(), url, code).statusCode()).isEqualTo(303);
    HttpResponse<String> done = send(s, key, body);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    assertThat(balance(s.sender())).isEqualTo("700.00");
    assertThat(sendsBy(s.sender())).isEqualTo(1);
  }

  @Test
  void decisionWhenPasswordWrongThenNothingDecidedAndCountsTowardLockout() {
    Setup s = setup("1000.00", "100.00");
    String key = key();
    String body = body(s.recipient(), "300.00");
    String url = confirmationRequired(send(s, key, body)).get("confirmation_url").asText();
    HttpResponse<String> wrong = answer(s.browser(), url, "confirm", "not-the-password");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(Jsoup.parse(wrong.body()).select("p.error").text())
        .contains("not right").contains("Nothing was decided");
    confirmationRequired(send(s, key, body));

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 6; i++) statuses.add(answer(s.browser(), url, "confirm", "guess-" + i).statusCode());
    assertThat(statuses).contains(429);
    // Locked out: the right password is not even checked now, here or at sign-in.
    HttpResponse<String> right = answer(s.browser(), url, "confirm", TestServer.PASSWORD);
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(new MoneiTestClient(server).submitLogin(s.sender().email(), TestServer.PASSWORD, "/").statusCode())
        .isEqualTo(429);
    confirmationRequired(send(s, key, body));
    assertThat(balance(s.sender())).isEqualTo("1000.00");
    assertThat(auditEvents(s.sender())).contains("send_confirmation.proof_failed")
        .doesNotContain("send_confirmation.confirmed");
  }

  @Test
  void limitsWhenAskedThenLimitUsedRemainingAndThreshold() {
    Setup s = setup("1000.00", "100.00");
    JsonNode before = MoneiTestClient.json(s.browser().api("/api/v1/wallet/limits", s.token()));
    assertThat(before.toString()).isEqualTo("{\"currency\":\"NGN\",\"limit\":\"1000.00\",\"used\":\"0.00\","
        + "\"remaining\":\"1000.00\",\"window_hours\":24,\"confirm_above\":\"100.00\"}");
    assertThat(send(s, key(), body(s.recipient(), "60.00")).statusCode()).isEqualTo(201);
    String key = key();
    String url = confirmationRequired(send(s, key, body(s.recipient(), "150.00"))).get("confirmation_url").asText();
    JsonNode during = MoneiTestClient.json(s.browser().api("/api/v1/wallet/limits", s.token()));
    assertThat(during.get("used").asText()).as("a send waiting for confirmation uses nothing").isEqualTo("60.00");
    confirm(s, url);
    assertThat(send(s, key, body(s.recipient(), "150.00")).statusCode()).isEqualTo(201);
    HttpResponse<String> after = s.browser().api("/api/v1/wallet/limits", s.token());
    assertThat(after.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(MoneiTestClient.json(after).get("used").asText()).isEqualTo("210.00");
    assertThat(MoneiTestClient.json(after).get("remaining").asText()).isEqualTo("790.00");
  }

  @Test
  void limitsWhenNoThresholdThenConfirmAboveNullAndScopeRequired() {
    Setup s = setup("500.00", null);
    JsonNode limits = MoneiTestClient.json(s.browser().api("/api/v1/wallet/limits", s.token()));
    assertThat(limits.has("confirm_above")).isTrue();
    assertThat(limits.get("confirm_above").isNull()).isTrue();
    assertThat(limits.get("limit").asText()).isEqualTo("500.00");
    assertThat(send(s, key(), body(s.recipient(), "450.00")).statusCode()).isEqualTo(201);

    TestServer.TestApp reader = server.app().create();
    String readOnly = s.browser().grant(reader, "wallet:read").access();
    HttpResponse<String> refused = s.browser().api("/api/v1/wallet/limits", readOnly);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"wallet:send\"");
    assertThat(s.browser().api("/api/v1/wallet/limits", null).statusCode()).isEqualTo(401);
  }

  @Test
  void tokenAndIntrospectionWhenWalletSendThenAuthorizationDetails() {
    Setup s = setup("1000.00", "50.00");
    String expected = "[{\"type\":\"monei_send\",\"limit\":{\"amount\":\"1000.00\",\"currency\":\"NGN\","
        + "\"window_hours\":24},\"confirm_above\":\"50.00\"}]";
    assertThat(s.tokens().get("authorization_details").toString()).isEqualTo(expected);
    HttpResponse<String> refreshed = s.browser().refresh(s.app(), s.tokens().get("refresh_token").asText());
    assertThat(MoneiTestClient.json(refreshed).get("authorization_details").toString()).isEqualTo(expected);
    JsonNode introspected = MoneiTestClient.json(s.browser().introspect(s.app(), s.token()));
    assertThat(introspected.get("active").asBoolean()).isTrue();
    assertThat(introspected.get("authorization_details").toString()).isEqualTo(expected);

    Setup none = setup("700.00", null);
    JsonNode details = none.tokens().get("authorization_details").get(0);
    assertThat(details.get("limit").get("amount").asText()).isEqualTo("700.00");
    assertThat(details.has("confirm_above")).isTrue();
    assertThat(details.get("confirm_above").isNull()).isTrue();

    TestServer.TestApp reader = server.app().create();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(server.user());
    String code = browser.approve(reader, "wallet:read", List.of("wallet:read"));
    JsonNode readOnly = browser.exchangeOk(reader, code);
    assertThat(readOnly.has("authorization_details")).isFalse();
    assertThat(MoneiTestClient.json(browser.introspect(reader, readOnly.get("access_token").asText()))
        .has("authorization_details")).isFalse();
  }

  @Test
  void consentWhenThresholdMalformedThenFormAgainUnlessSendingNotAllowed() {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server).signIn(user);
    TestServer.TestApp app = server.app().create();
    for (String bad : List.of("abc", "-1", "1.234", "1e3", "50,00")) {
      MoneiTestClient.ConsentScreen screen = browser.openConsent(browser.authorizeUrl(app, "wallet:send", "s"));
      HttpResponse<String> refused = browser.submitConsent(screen, "allow", List.of("wallet:send"),
          "send_limit", "100.00", "send_limit_currency", "NGN", "send_confirm_above", bad);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      Document doc = Jsoup.parse(refused.body());
      assertThat(doc.select("p.error").text()).contains("confirm each send");
      assertThat(doc.selectFirst("input[name=send_confirm_above]").val()).isEqualTo(bad);
    }
    // The send fields mean nothing when sending is not allowed: they are not even read.
    MoneiTestClient.ConsentScreen screen =
        browser.openConsent(browser.authorizeUrl(app, "wallet:read wallet:send", "s"));
    assertThat(screen.page().selectFirst("input[name=send_confirm_above]").val()).isEmpty();
    HttpResponse<String> allowed = browser.submitConsent(screen, "allow", List.of("wallet:read"),
        "send_limit", "x", "send_limit_currency", "NGN", "send_confirm_above", "abc");
    assertThat(allowed.statusCode()).isEqualTo(303);
    assertThat(server.services().consents.find(app.clientId(), user.id()).orElseThrow().sendLimit()).isNull();
  }

  @Test
  void thresholdWhenZeroThenEverySendNeedsConfirming() {
    Setup s = setup("1000.00", "0");
    confirmationRequired(send(s, key(), body(s.recipient(), "0.01")));
    assertThat(s.tokens().get("authorization_details").get(0).get("confirm_above").asText()).isEqualTo("0.00");
  }

  /** The form of one connection on /account/connections, as fields to post. */
  static Map<String, String> limitForm(MoneiTestClient browser, TestServer.TestApp app) {
    HttpResponse<String> page = browser.get("/account/connections");
    Element form = Jsoup.parse(page.body())
        .selectFirst("li[data-client-id=" + app.clientId() + "] form[action=/account/connections/limits]");
    assertThat(form).as(page.body()).isNotNull();
    Map<String, String> fields = new LinkedHashMap<>();
    for (Element input : form.select("input")) fields.put(input.attr("name"), input.val());
    return fields;
  }

  static HttpResponse<String> changeLimits(Setup s, String limit, String confirmAbove) {
    Map<String, String> form = limitForm(s.browser(), s.app());
    form.put("send_limit", limit);
    form.put("send_confirm_above", confirmAbove);
    return s.browser().postForm("/account/connections/limits", form);
  }

  static JsonNode limits(Setup s) {
    return MoneiTestClient.json(s.browser().api("/api/v1/wallet/limits", s.token()));
  }

  @Test
  void connectionsWhenLoweringThenApplies() {
    Setup s = setup("1000.00", "100.00");
    String page = s.browser().get("/account/connections").body();
    assertThat(Jsoup.parse(page).text()).contains("NGN 1000.00 per 24 hours").contains("NGN 100.00");
    Map<String, String> form = limitForm(s.browser(), s.app());
    assertThat(form).containsEntry("send_limit", "1000.00").containsEntry("send_confirm_above", "100.00");

    HttpResponse<String> lowered = changeLimits(s, "400.00", "20.00");
    assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(303);
    assertThat(lowered.headers().firstValue("Location")).hasValue("/account/connections?limits=1");
    assertThat(limits(s).get("limit").asText()).isEqualTo("400.00");
    assertThat(limits(s).get("confirm_above").asText()).isEqualTo("20.00");
    confirmationRequired(send(s, key(), body(s.recipient(), "20.01")));
    assertThat(send(s, key(), body(s.recipient(), "20.00")).statusCode()).isEqualTo(201);
    HttpResponse<String> over = send(s, key(), body(s.recipient(), "381.00"));
    assertThat(MoneiTestClient.error(over)).isEqualTo("send_limit_exceeded");
  }

  @Test
  void connectionsWhenRaisingOrRemovingThenRefusedAndUnchanged() {
    Setup s = setup("1000.00", "100.00");
    for (String[] change : new String[][] {{"1000.01", "100.00"}, {"1000.00", "100.01"}, {"1000.00", ""},
        {"abc", "10.00"}, {"0", "10.00"}, {"100.00", "-1"}}) {
      HttpResponse<String> refused = changeLimits(s, change[0], change[1]);
      assertThat(refused.statusCode()).as(String.join(" ", change)).isEqualTo(400);
      assertThat(Jsoup.parse(refused.body()).select("p.error").text()).isNotBlank();
    }
    Map<String, String> forged = limitForm(s.browser(), s.app());
    forged.remove("csrf_token");
    forged.put("send_limit", "10.00");
    assertThat(s.browser().postForm("/account/connections/limits", forged).statusCode()).isEqualTo(403);
    Map<String, String> otherApp = limitForm(s.browser(), s.app());
    otherApp.put("client_id", "mc_unknown");
    assertThat(s.browser().postForm("/account/connections/limits", otherApp).statusCode()).isEqualTo(400);
    assertThat(limits(s).get("limit").asText()).isEqualTo("1000.00");
    assertThat(limits(s).get("confirm_above").asText()).isEqualTo("100.00");
  }

  @Test
  void connectionsWhenNoThresholdThenUserMaySetOne() {
    Setup s = setup("1000.00", null);
    assertThat(Jsoup.parse(s.browser().get("/account/connections").body()).text())
        .contains("Sends need no confirmation from you");
    assertThat(send(s, key(), body(s.recipient(), "300.00")).statusCode()).isEqualTo(201);
    assertThat(changeLimits(s, "1000.00", "10.00").statusCode()).isEqualTo(303);
    confirmationRequired(send(s, key(), body(s.recipient(), "10.50")));
    assertThat(Jsoup.parse(s.browser().get("/account/connections").body()).text())
        .contains("You confirm each send above NGN 10.00");
  }
}
