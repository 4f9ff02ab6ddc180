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
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Your App's forms over plain HTTP: CSRF refusals and the idempotency key that makes a double submit one send. */
@WithTestServer
class ExampleAppHttpTest {
  static TestServer server;
  static TestServer.TestApp app;
  static ExampleApp yourApp;
  static String exampleUrl;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    int port = freePort();
    exampleUrl = "http://localhost:" + port;
    app = server.app().name("Your App").redirectUris(exampleUrl + ExampleConfig.CALLBACK_PATH).create();
    yourApp = ExampleApp.create(ExampleConfig.of(port, server.issuer(), app.clientId(), app.clientSecret(),
        app.redirectUri())).start();
  }

  @AfterAll
  static void stop() {
    if (yourApp != null) yourApp.close();
  }

  static Stream<Arguments> formsWithoutAValidToken() {
    return Stream.of(
        Arguments.of("/send", null),
        Arguments.of("/send", "forged-token"),
        Arguments.of("/send", ""),
        Arguments.of("/disconnect", null),
        Arguments.of("/disconnect", "forged-token"));
  }

  @ParameterizedTest(name = "{0} with csrf_token={1}")
  @MethodSource("formsWithoutAValidToken")
  void postWhenCsrfTokenMissingOrWrongThenRefusedAndNothingHappens(String path, String csrfToken) {
    User user = server.user();
    User friend = server.user();
    server.credit(user, "NGN", "1000.00");
    Connected browser = connect(user);
    Map<String, String> form = sendForm(browser.dashboard(), friend.email(), "100.00");
    if (csrfToken == null) form.remove("csrf_token"); else form.put("csrf_token", csrfToken);

    HttpResponse<String> answer = browser.http().postForm(exampleUrl + path, form);

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.headers().firstValue("Location")).isEmpty();
    assertThat(Jsoup.parse(answer.body()).text()).contains("nothing was done");
    assertThat(balanceMinor(user)).isEqualTo(100_000);
    assertThat(server.services().wallets.walletOf(friend.id()).balances()).isEmpty();
    Document dashboard = Jsoup.parse(browser.http().get(exampleUrl + "/dashboard").body());
    assertThat(dashboard.select("form[action=/disconnect]")).as("still connected").hasSize(1);
  }

  @Test
  void sendWhenSameFormSubmittedTwiceThenMoneyMovesOnce() {
    User user = server.user();
    User friend = server.user();
    server.credit(user, "NGN", "1000.00");
    Connected browser = connect(user);
    Map<String, String> form = sendForm(browser.dashboard(), friend.email(), "100.00");

    HttpResponse<String> first = browser.http().postForm(exampleUrl + "/send", form);
    HttpResponse<String> second = browser.http().postForm(exampleUrl + "/send", form);

    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(second.statusCode()).isEqualTo(303);
    assertThat(second.headers().firstValue("Location")).contains("/dashboard");
    assertThat(balanceMinor(user)).isEqualTo(90_000);
    assertThat(server.services().wallets.walletOf(friend.id()).balances())
        .singleElement().satisfies(b -> assertThat(b.availableMinor()).isEqualTo(10_000));
    Document after = Jsoup.parse(browser.http().get(exampleUrl + "/dashboard").body());
    assertThat(after.select(".notice.ok").text()).contains("Sent NGN 100.00");
    assertThat(after.selectFirst("input[name=idempotency_key]").val())
        .as("a new form gets a new key").isNotEqualTo(form.get("idempotency_key"));
  }

  @Test
  void dashboardWhenUserDisconnectedTheAppAtMoneiThenSaysAccessWasRevokedAndOffersToConnectAgain() {
    User user = server.user();
    Connected browser = connect(user);
    Document connections = Jsoup.parse(browser.http().get(server.url() + "/account/connections").body());
    Map<String, String> disconnect = new LinkedHashMap<>();
    disconnect.put("csrf_token", connections.selectFirst("input[name=csrf_token]").val());
    disconnect.put("client_id", app.clientId());
    assertThat(browser.http().postForm(server.url() + "/account/connections/disconnect", disconnect).statusCode())
        .isEqualTo(303);

    HttpResponse<String> dashboard = browser.http().get(exampleUrl + "/dashboard");

    assertThat(dashboard.statusCode()).isEqualTo(200);
    Document page = Jsoup.parse(dashboard.body());
    assertThat(page.text()).contains("Monei access was revoked; connect again.");
    assertThat(page.select("a.button").attr("href")).startsWith("/connect-monei");
    assertThat(browser.http().get(exampleUrl + "/dashboard").headers().firstValue("Location"))
        .as("the SDK forgot the tokens").contains("/");
  }

  @Test
  void callbackWhenMoneiAnswersAnErrorThenFailedPageShowsTheCodeAndNothingIsConnected() {
    MoneiTestClient browser = new MoneiTestClient();
    HttpResponse<String> start = browser.get(exampleUrl + "/connect-monei?scope=wallet:read");
    String state = MoneiTestClient.query(start).get("state");

    HttpResponse<String> page = browser.get(exampleUrl + ExampleConfig.CALLBACK_PATH + "?error=temporarily_unavailable"
        + "&error_description=Try+later&state=" + MoneiTestClient.enc(state)
        + "&iss=" + MoneiTestClient.enc(server.issuer()));

    assertThat(page.statusCode()).isEqualTo(400);
    Document doc = Jsoup.parse(page.body());
    assertThat(doc.select(".error-code").text()).isEqualTo("temporarily_unavailable");
    assertThat(doc.select("a:contains(Try again)").attr("href")).isEqualTo("/connect-monei?scope=wallet:read");
    assertThat(browser.get(exampleUrl + "/dashboard").headers().firstValue("Location")).contains("/");
  }

  @Test
  void connectMoneiWhenScopeUnknownThenRefusedWithoutLeavingYourApp() {
    HttpResponse<String> answer = new MoneiTestClient().get(exampleUrl + "/connect-monei?scope=wallet:drain");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Location")).isEmpty();
    assertThat(Jsoup.parse(answer.body()).text()).contains("wallet:drain");
  }

  @Test
  void dashboardWhenConnectedThenScopesInPlainEnglishWithTheirIdsAsTitles() {
    Connected browser = connect(server.user());

    assertThat(browser.dashboard().select("ul.scopes li.scope")).extracting(e -> e.text())
        .containsExactlyInAnyOrder("See your name and email address",
            "See your wallet balances and transaction history", "Send money from your wallet on your behalf");
    assertThat(browser.dashboard().select("ul.scopes li.scope").eachAttr("title"))
        .containsExactlyInAnyOrder("profile:read", "wallet:read", "wallet:send");
  }

  private record Connected(MoneiTestClient http, Document dashboard) {}

  /** One browser (cookies for both servers) through Your App's connect flow, approving every scope offered. */
  private static Connected connect(User user) {
    MoneiTestClient http = new MoneiTestClient();
    MoneiTestClient flow = http.sameBrowserAt(server.url()).signIn(user);
    HttpResponse<String> start = http.get(exampleUrl + "/connect-monei");
    assertThat(start.statusCode()).isEqualTo(302);
    MoneiTestClient.ConsentScreen consent = flow.openConsent(start.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> back = flow.submitConsent(consent, "allow", consent.offeredScopes());
    assertThat(back.statusCode()).as("consent answer: %s", back.body()).isEqualTo(303);
    HttpResponse<String> callback = http.get(back.headers().firstValue("Location").orElseThrow());
    assertThat(callback.statusCode()).as("callback page: %s", callback.body()).isEqualTo(303);
    HttpResponse<String> dashboard = http.get(exampleUrl + "/dashboard");
    assertThat(dashboard.statusCode()).isEqualTo(200);
    return new Connected(http, Jsoup.parse(dashboard.body()));
  }

  /** The send form's fields as rendered (hidden CSRF token and idempotency key), filled in. */
  private static Map<String, String> sendForm(Document dashboard, String to, String amount) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", dashboard.selectFirst("form[action=/send] input[name=csrf_token]").val());
    form.put("idempotency_key", dashboard.selectFirst("form[action=/send] input[name=idempotency_key]").val());
    form.put("to", to);
    form.put("amount", amount);
    form.put("currency", "NGN");
    form.put("note", "Twice?");
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
