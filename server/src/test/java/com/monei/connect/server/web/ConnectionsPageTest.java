package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.MoneiTestClient.Grant;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC 2: /account/connections over HTTP — the list, its details, and Disconnect. */
@WithTestServer
class ConnectionsPageTest {
  private static final String PATH = "/account/connections";
  private static final String PROFILE_TEXT = "See your name and email address";
  private static final String WALLET_READ_TEXT = "See your wallet balances and transaction history";
  private static final String WALLET_SEND_TEXT = "Send money from your wallet on your behalf";

  static TestServer server;
  static MoneiTestClient channel;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    channel = new MoneiTestClient(server);
  }

  private static Document page(MoneiTestClient flow) {
    HttpResponse<String> response = flow.get(server.url() + PATH);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Jsoup.parse(response.body());
  }

  private static Element connection(Document page, TestServer.TestApp app) {
    return page.selectFirst("li.connection[data-client-id=" + app.clientId() + "]");
  }

  /** The Disconnect form's csrf_token for {@code app}, as the page rendered it. */
  private static String csrfOf(Document page, TestServer.TestApp app) {
    Element li = connection(page, app);
    assertThat(li).as("%s listed", app.clientId()).isNotNull();
    return li.selectFirst("form[action=/account/connections/disconnect] input[name=csrf_token]").val();
  }

  private static HttpResponse<String> disconnect(MoneiTestClient flow, String csrf, String clientId) {
    Map<String, String> form = new LinkedHashMap<>();
    if (csrf != null) form.put("csrf_token", csrf);
    form.put("client_id", clientId);
    return flow.postForm(server.url() + "/account/connections/disconnect", form);
  }

  /** Approves {@code ticked} of {@code scope} with the extra consent-form fields and redeems the code. */
  private static Grant approve(MoneiTestClient flow, TestServer.TestApp app, String scope, List<String> ticked,
      String... extraFields) {
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, scope, "st-" + System.nanoTime()));
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", ticked, extraFields);
    assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(303);
    return channel.redeem(app, MoneiTestClient.query(redirect).get("code"));
  }

  // ---- who sees the page

  @Test
  void connectionsWhenNotSignedInThenRedirectsToLoginWithReturnTo() {
    HttpResponse<String> response = new MoneiTestClient().get(server.url() + PATH);

    assertThat(response.statusCode()).isIn(302, 303);
    String location = response.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/login?");
    assertThat(MoneiTestClient.query(location)).containsEntry("return_to", PATH);
  }

  @Test
  void connectionsWhenSignedInThroughTheRedirectThenLandsOnThePage() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> login = flow.submitLogin(user.email(), TestServer.PASSWORD, PATH);

    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).hasValue(PATH);
    assertThat(page(flow).select("li.connection")).isEmpty();
  }

  // ---- what it lists

  @Test
  void connectionsWhenTwoAppsGrantedThenListsBothWithGrantedScopesAndSendLimit() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    TestServer.TestApp reader = server.app().name("Budget Buddy").create();
    TestServer.TestApp payer = server.app().name("Pay Helper").create();
    // asked for wallet:send too, but the user unticked it: only what was granted shows
    approve(flow, reader, "profile:read wallet:send", List.of("profile:read"));
    approve(flow, payer, "wallet:read wallet:send", List.of("wallet:read", "wallet:send"),
        "send_limit", "2500.00", "send_limit_currency", "NGN");

    Document page = page(flow);

    assertThat(page.select("li.connection")).hasSize(2);
    Element first = connection(page, reader);
    assertThat(first).isNotNull();
    assertThat(first.text()).contains("Budget Buddy").contains(PROFILE_TEXT)
        .doesNotContain(WALLET_SEND_TEXT).doesNotContain(WALLET_READ_TEXT).doesNotContain("per 24 hours");
    Element second = connection(page, payer);
    assertThat(second).isNotNull();
    assertThat(second.text()).contains("Pay Helper").contains(WALLET_READ_TEXT).contains(WALLET_SEND_TEXT)
        .contains("NGN 2500.00 per 24 hours").doesNotContain(PROFILE_TEXT);
    for (Element li : List.of(first, second)) {
      assertThat(li.text()).containsPattern("Connected\\s+\\S").containsPattern("Last used\\s+\\S");
      Element form = li.selectFirst("form[method=post][action=/account/connections/disconnect]");
      assertThat(form).as("Disconnect form").isNotNull();
      assertThat(form.selectFirst("input[name=csrf_token]").val()).isNotBlank();
      assertThat(form.selectFirst("input[name=client_id]").val()).isEqualTo(li.attr("data-client-id"));
      assertThat(form.select("button, input[type=submit]").text() + form.select("input[type=submit]").val())
          .contains("Disconnect");
    }
  }

  @Test
  void connectionsWhenAnotherUserSignedInThenNeverShowsTheFirstUsersApps() {
    MoneiTestClient alice = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp shared = server.app().name("Used By Both").create();
    TestServer.TestApp alicesOnly = server.app().name("Alice Only").create();
    Grant aliceShared = approve(alice, shared, "profile:read wallet:read", List.of("profile:read", "wallet:read"));
    approve(alice, alicesOnly, "profile:read", List.of("profile:read"));
    MoneiTestClient bob = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp bobsOwn = server.app().name("Bob's Own").create();
    approve(bob, bobsOwn, "profile:read", List.of("profile:read"));

    Document bobsPage = page(bob);

    assertThat(bobsPage.select("li.connection")).extracting(li -> li.attr("data-client-id"))
        .containsExactly(bobsOwn.clientId());
    assertThat(bobsPage.text()).doesNotContain("Alice Only").doesNotContain("Used By Both");

    // Bob submitting Disconnect for an app only Alice connected changes nothing for Alice
    HttpResponse<String> response = disconnect(bob, csrfOf(bobsPage, bobsOwn), shared.clientId());
    assertThat(response.statusCode()).isNotEqualTo(500);
    assertThat(channel.profileStatus(aliceShared.access())).isEqualTo(200);
    assertThat(channel.refreshOutcome(shared, aliceShared.refresh())).isEqualTo("ok");
    assertThat(page(alice).select("li.connection")).extracting(li -> li.attr("data-client-id"))
        .containsExactlyInAnyOrder(shared.clientId(), alicesOnly.clientId());
  }

  // ---- Disconnect

  static Stream<Arguments> badCsrf() {
    return Stream.of(
        Arguments.of("missing", null),
        Arguments.of("empty", ""),
        Arguments.of("wrong", "not-the-token"),
        Arguments.of("another user's", "OTHER_USER"));
  }

  @ParameterizedTest(name = "{0} csrf_token")
  @MethodSource("badCsrf")
  void disconnectWhenCsrfTokenBadThen403AndNothingChanges(String name, String csrf) {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().create();
    Grant g = approve(flow, app, "profile:read", List.of("profile:read"));
    if ("OTHER_USER".equals(csrf)) {
      MoneiTestClient other = new MoneiTestClient(server).signIn(server.user());
      TestServer.TestApp otherApp = server.app().create();
      approve(other, otherApp, "profile:read", List.of("profile:read"));
      csrf = csrfOf(page(other), otherApp);
    }

    HttpResponse<String> response = disconnect(flow, csrf, app.clientId());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(channel.profileStatus(g.access())).isEqualTo(200);
    assertThat(channel.refreshOutcome(app, g.refresh())).isEqualTo("ok");
    assertThat(connection(page(flow), app)).isNotNull();
  }

  @Test
  void disconnectWhenValidThen303AndEveryTokenRevokedAndAppGoneAndConsentAskedAgain() {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().name("Leaving Soon").create();
    TestServer.TestApp stays = server.app().name("Staying").create();
    Grant first = approve(flow, app, "profile:read", List.of("profile:read"));
    // a second family of the same user and app: Disconnect revokes every family
    Grant second = channel.redeem(app, flow.rememberedCode(app, "profile:read"));
    Grant kept = approve(flow, stays, "profile:read", List.of("profile:read"));

    HttpResponse<String> response = disconnect(flow, csrfOf(page(flow), app), app.clientId());

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue(PATH + "?disconnected=1");
    for (Grant g : List.of(first, second)) {
      assertThat(channel.profileStatus(g.access())).isEqualTo(401);
      assertThat(channel.refreshOutcome(app, g.refresh())).isEqualTo("invalid_grant");
    }
    Document after = page(flow);
    assertThat(connection(after, app)).isNull();
    assertThat(after.text()).doesNotContain("Leaving Soon");
    assertThat(connection(after, stays)).isNotNull();
    assertThat(channel.profileStatus(kept.access())).isEqualTo(200);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read", "again"));
    assertThat(screen.offeredScopes()).containsExactly("profile:read");
  }

  @Test
  void disconnectWhenNotSignedInThenRefusedAndNothingChanges() {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().create();
    Grant g = approve(flow, app, "profile:read", List.of("profile:read"));
    String csrf = csrfOf(page(flow), app);
    MoneiTestClient stranger = new MoneiTestClient(server);

    HttpResponse<String> response = disconnect(stranger, csrf, app.clientId());

    assertThat(response.statusCode()).isNotEqualTo(303);
    assertThat(response.statusCode()).isBetween(400, 499);
    assertThat(channel.profileStatus(g.access())).isEqualTo(200);
    assertThat(connection(page(flow), app)).isNotNull();
  }

  @Test
  void disconnectWhenCodeIssuedBeforeIsRedeemedAfterThenInvalidGrantAndAppStaysDisconnected() {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().name("Sneaky").create();
    Grant g = approve(flow, app, "profile:read", List.of("profile:read"));
    // the app started another authorization (remembered consent) and holds its code, not yet redeemed
    String outstanding = flow.rememberedCode(app, "profile:read");

    assertThat(disconnect(flow, csrfOf(page(flow), app), app.clientId()).statusCode()).isEqualTo(303);
    assertThat(channel.profileStatus(g.access())).isEqualTo(401);

    // "It can no longer use your wallet": a code from before the Disconnect must not mint new tokens,
    // which would give the app access that /account/connections no longer shows and cannot revoke.
    HttpResponse<String> late = new MoneiTestClient(server).exchange(app, outstanding);
    assertThat(late.statusCode()).as(late.body()).isEqualTo(400);
    assertThat(MoneiTestClient.error(late)).isEqualTo("invalid_grant");
  }

  @Test
  void connectionsWhenAppUsedDaysLaterThenLastUsedMovesAndConnectedStays() {
    User user = server.user();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    TestServer.TestApp app = server.app().create();
    Grant g = approve(flow, app, "profile:read", List.of("profile:read"));
    String[] before = connectedAndLastUsed(connection(page(flow), app));

    server.advance(Duration.ofDays(3));
    HttpResponse<String> refreshed = channel.refresh(app, g.refresh());
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(channel.profileStatus(MoneiTestClient.json(refreshed).get("access_token").asText())).isEqualTo(200);
    MoneiTestClient later = new MoneiTestClient(server).signIn(user);
    String[] after = connectedAndLastUsed(connection(page(later), app));

    assertThat(after[0]).as("Connected").isEqualTo(before[0]);
    assertThat(after[1]).as("Last used").isNotEqualTo(before[1]);
  }

  /** The texts after "Connected" and after "Last used" in a connection's entry. */
  private static String[] connectedAndLastUsed(Element li) {
    assertThat(li).isNotNull();
    String text = li.text();
    int connected = text.indexOf("Connected");
    int lastUsed = text.indexOf("Last used");
    assertThat(connected).as(text).isNotNegative();
    assertThat(lastUsed).as(text).isGreaterThan(connected);
    String connectedText = text.substring(connected + "Connected".length(), lastUsed)
        .replaceAll("[^\\p{Alnum}]+$", "").strip();
    String rest = text.substring(lastUsed + "Last used".length()).strip();
    String lastUsedText = rest.replaceAll("\\s*(Disconnect|Sending limit).*$", "").strip();
    return new String[] {connectedText, lastUsedText};
  }

  @Test
  void disconnectWhenFollowedThenPageShowsNotice() {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().create();
    approve(flow, app, "profile:read", List.of("profile:read"));
    HttpResponse<String> response = disconnect(flow, csrfOf(page(flow), app), app.clientId());

    HttpResponse<String> landing = flow.get(server.url() + response.headers().firstValue("Location").orElseThrow());

    assertThat(landing.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(landing.body()).text()).containsIgnoringCase("disconnected");
  }

  @Test
  void connectionsWhenAppRevokedItsOnlyRefreshTokenThenAppLeavesThePage() {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    TestServer.TestApp app = server.app().create();
    Grant g = approve(flow, app, "profile:read", List.of("profile:read"));
    assertThat(connection(page(flow), app)).isNotNull();

    assertThat(channel.revoke(app, g.refresh()).statusCode()).isEqualTo(200);

    assertThat(connection(page(flow), app)).isNull();
  }
}
