package com.monei.connect.server.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.example.ExampleApp;
import com.monei.connect.example.ExampleConfig;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole loop of a send the user confirms, over HTTP against the real server (issue 14, SPEC 1.6, 6):
 * the user sets a confirmation threshold on the consent screen, Your App sends more than it, the user
 * confirms (or rejects) at Monei's confirmation page, and "finish the send" completes it exactly once.
 */
@WithTestServer
class ExampleAppConfirmationTest {
  static TestServer server;
  static ExampleApp yourApp;
  static String exampleUrl;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    int port = freePort();
    exampleUrl = "http://localhost:" + port;
    TestServer.TestApp app = server.app().name("Your App").redirectUris(exampleUrl + ExampleConfig.CALLBACK_PATH)
        .create();
    yourApp = ExampleApp.create(ExampleConfig.of(port, server.issuer(), app.clientId(), app.clientSecret(),
        app.redirectUri())).start();
  }

  @AfterAll
  static void stop() {
    if (yourApp != null) yourApp.close();
  }

  @Test
  void sendWhenAboveTheThresholdThenConfirmedInMoneiAndFinishedOnce() {
    User user = server.user();
    User friend = server.user();
    server.credit(user, "NGN", "1000.00");
    Connected browser = connect(user, "50.00");
    String shown = browser.dashboard().select("#send-limit").text();
    assertThat(shown).contains("NGN 1000.00 per 24 hours").contains("more than NGN 50.00");
    assertThat(browser.dashboard().select("select[name=currency] option")).extracting(Element::val)
        .containsExactly("NGN");

    assertThat(browser.http().postForm(exampleUrl + "/send", sendForm(browser.dashboard(), friend.email(), "120.00"))
        .statusCode()).isEqualTo(303);
    Document waiting = dashboard(browser);
    String confirmationUrl = waiting.select("a#confirm-in-monei").attr("href");
    assertThat(confirmationUrl).startsWith(server.issuer() + "/confirm/cfm_");
    assertThat(waiting.select("a#confirm-in-monei").text()).isEqualTo("Confirm this payment in Monei");
    assertThat(balanceMinor(user)).as("nothing moved yet").isEqualTo(100_000);

    finish(browser, waiting);
    Document notYet = dashboard(browser);
    assertThat(notYet.select(".notice.problem").text()).contains("has not had your confirmation");
    assertThat(notYet.select("a#confirm-in-monei").attr("href")).isEqualTo(confirmationUrl);
    assertThat(balanceMinor(user)).isEqualTo(100_000);

    HttpResponse<String> answered = answerConfirmation(browser.monei(), confirmationUrl, "confirm");
    assertThat(answered.statusCode()).as("confirmation answer: %s", answered.body()).isIn(200, 303);
    assertThat(balanceMinor(user)).as("confirming alone moves nothing").isEqualTo(100_000);

    finish(browser, notYet);
    Document done = dashboard(browser);
    assertThat(done.select(".notice.ok").text()).contains("Sent NGN 120.00");
    assertThat(done.select("#pending-send")).isEmpty();
    assertThat(done.select("#send-limit").text()).contains("NGN 880.00 left now");
    assertThat(balanceMinor(user)).isEqualTo(88_000);
    assertThat(server.services().wallets.walletOf(friend.id()).balances())
        .singleElement().satisfies(b -> assertThat(b.availableMinor()).isEqualTo(12_000));

    finish(browser, done);
    assertThat(dashboard(browser).select(".notice.problem").text()).contains("No payment is waiting");
    assertThat(balanceMinor(user)).as("finishing again sends nothing more").isEqualTo(88_000);
  }

  @Test
  void sendWhenTheUserRejectsInMoneiThenYourAppSaysSoAndNothingMoves() {
    User user = server.user();
    User friend = server.user();
    server.credit(user, "NGN", "1000.00");
    Connected browser = connect(user, "50.00");
    browser.http().postForm(exampleUrl + "/send", sendForm(browser.dashboard(), friend.email(), "120.00"));
    Document waiting = dashboard(browser);

    HttpResponse<String> answered = answerConfirmation(browser.monei(),
        waiting.select("a#confirm-in-monei").attr("href"), "reject");
    assertThat(answered.statusCode()).as("rejection answer: %s", answered.body()).isIn(200, 303);
    finish(browser, waiting);

    Document after = dashboard(browser);
    assertThat(after.select(".notice.problem").text()).contains("You rejected the payment of NGN 120.00");
    assertThat(after.select("#pending-send")).isEmpty();
    assertThat(balanceMinor(user)).isEqualTo(100_000);
    assertThat(server.services().wallets.walletOf(friend.id()).balances()).isEmpty();
  }

  @Test
  void sendWhenAtOrBelowTheThresholdThenCompletesWithoutConfirmation() {
    User user = server.user();
    User friend = server.user();
    server.credit(user, "NGN", "1000.00");
    Connected browser = connect(user, "50.00");

    browser.http().postForm(exampleUrl + "/send", sendForm(browser.dashboard(), friend.email(), "50.00"));

    Document after = dashboard(browser);
    assertThat(after.select(".notice.ok").text()).contains("Sent NGN 50.00");
    assertThat(after.select("#pending-send")).isEmpty();
    assertThat(balanceMinor(user)).isEqualTo(95_000);
  }

  /** Your App and Monei in one browser (cookies for both), and Your App's dashboard after connecting. */
  private record Connected(MoneiTestClient http, MoneiTestClient monei, Document dashboard) {}

  /** Connects through Your App, approving every scope offered with a limit of NGN 1000.00 and {@code confirmAbove}. */
  private static Connected connect(User user, String confirmAbove) {
    MoneiTestClient http = new MoneiTestClient();
    MoneiTestClient monei = http.sameBrowserAt(server.url()).signIn(user);
    HttpResponse<String> start = http.get(exampleUrl + "/connect-monei");
    assertThat(start.statusCode()).isEqualTo(302);
    MoneiTestClient.ConsentScreen consent = monei.openConsent(start.headers().firstValue("Location").orElseThrow());
    assertThat(consent.page().select("input[name=send_confirm_above]")).as("the threshold field").hasSize(1);
    HttpResponse<String> back = monei.submitConsent(consent, "allow", consent.offeredScopes(),
        "send_limit", "1000.00", "send_limit_currency", "NGN", "send_confirm_above", confirmAbove);
    assertThat(back.statusCode()).as("consent answer: %s", back.body()).isEqualTo(303);
    HttpResponse<String> callback = http.get(back.headers().firstValue("Location").orElseThrow());
    assertThat(callback.statusCode()).as("callback page: %s", callback.body()).isEqualTo(303);
    return new Connected(http, monei, dashboard(http));
  }

  private static Document dashboard(Connected browser) {
    return dashboard(browser.http());
  }

  private static Document dashboard(MoneiTestClient http) {
    HttpResponse<String> page = http.get(exampleUrl + "/dashboard");
    assertThat(page.statusCode()).isEqualTo(200);
    return Jsoup.parse(page.body());
  }

  /** Presses "I've confirmed — finish the send" on {@code page}. */
  private static void finish(Connected browser, Document page) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", page.selectFirst("input[name=csrf_token]").val());
    assertThat(browser.http().postForm(exampleUrl + "/send/finish", form).statusCode()).isEqualTo(303);
  }

  /**
   * Opens the confirmation page in Monei (signed in) and answers it with {@code decision}, re-proving
   * the user with their password (two-step verification is off for test users).
   */
  private static HttpResponse<String> answerConfirmation(MoneiTestClient monei, String url, String decision) {
    HttpResponse<String> page = monei.get(url);
    assertThat(page.statusCode()).as("confirmation page: %s", page.body()).isEqualTo(200);
    Document doc = Jsoup.parse(page.body());
    assertThat(doc.text()).contains("Your App").contains("120.00").contains("NGN");
    Element form = doc.selectFirst("form:has([name=decision])");
    assertThat(form).as("decision form in %s", page.body()).isNotNull();
    Map<String, String> fields = new LinkedHashMap<>();
    for (Element hidden : form.select("input[type=hidden]")) fields.put(hidden.attr("name"), hidden.val());
    fields.put("password", TestServer.PASSWORD);
    fields.put("decision", decision);
    String action = form.attr("action");
    return monei.postForm(action.isEmpty() ? url : URI.create(url).resolve(action).toString(), fields);
  }

  /** The send form's fields as rendered (hidden CSRF token and idempotency key), filled in. */
  private static Map<String, String> sendForm(Document dashboard, String to, String amount) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", dashboard.selectFirst("form[action=/send] input[name=csrf_token]").val());
    form.put("idempotency_key", dashboard.selectFirst("form[action=/send] input[name=idempotency_key]").val());
    form.put("to", to);
    form.put("amount", amount);
    form.put("currency", "NGN");
    form.put("note", "Dinner");
    return form;
  }

  private static long balanceMinor(User user) {
    return server.services().wallets.walletOf(user.id()).balances().get(0).availableMinor();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
