package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consent screen and POST /connect/consent over real HTTP: what the page shows, the per-scope
 * choice, CSRF bound to session and request, remembered and incremental consent, and concurrency.
 */
@WithTestServer
class ConsentTest {
  private static final Map<String, String> PLAIN_ENGLISH = Map.of(
      "profile:read", "See your name and email address",
      "wallet:read", "See your wallet balances and transaction history",
      "wallet:send", "Send money from your wallet on your behalf");

  static TestServer server;
  static MoneiTestClient tokens;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
  }

  // ---- the page ----

  @Test
  void consentPageWhenAppUnverifiedThenSaysSoUntilAnOperatorVerifiesIt() {
    TestServer.TestApp app = server.app().name("Fresh App").create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());

    Document before = flow.openConsent(flow.authorizeUrl(app, "profile:read", "s1")).page();
    assertThat(before.select(".unverified").text()).contains("Monei has not verified this app");
    assertThat(before.select(".app-links")).as("no links registered").isEmpty();

    server.services().registration.verify(app.clientId());

    Document after = flow.openConsent(flow.authorizeUrl(app, "profile:read", "s2")).page();
    assertThat(after.select(".unverified")).isEmpty();
    assertThat(after.text()).doesNotContain("not verified");
  }

  @Test
  void consentPageWhenLinksRegisteredThenShowsThemEscapedAndWithoutReferrer() {
    var registered = server.services().registration.register("Linked", List.of("https://linked.example/cb"), null,
        false, null, false, "https://linked.example/?a=1&b='x'", "https://linked.example/privacy");
    TestServer.TestApp app = new TestServer.TestApp(registered.app().clientId(), registered.clientSecret(),
        registered.app().redirectUris());
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());

    HttpResponse<String> page = flow.get(flow.authorizeUrl(app, "profile:read", "s1"));

    assertThat(page.statusCode()).isEqualTo(200);
    Document doc = Jsoup.parse(page.body());
    assertThat(doc.select(".app-links a").eachAttr("href"))
        .containsExactly("https://linked.example/?a=1&b='x'", "https://linked.example/privacy");
    assertThat(doc.select(".app-links a").eachAttr("rel")).containsOnly("noopener noreferrer");
    assertThat(doc.select(".app-links a").eachText()).containsExactly("Website", "Privacy policy");
    assertThat(page.body()).contains("a=1&amp;b=").doesNotContain("b='x'");
  }

  @Test
  void notYouWhenPostedThenSignsOutAndAnotherUserLandsOnTheSameAuthorizationRequest() {
    User first = server.user();
    User second = server.user();
    TestServer.TestApp app = server.app().name("Swap <Shop>").create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(first);
    String authorize = flow.authorizeUrl(app, "profile:read wallet:read", "state-&-1");
    Document page = flow.openConsent(authorize).page();

    Element notYou = page.selectFirst("form[action=/logout]");
    assertThat(notYou.attr("method")).isEqualToIgnoringCase("post");
    assertThat(notYou.text()).contains(first.email()).contains("Not you?");
    String returnTo = notYou.selectFirst("input[name=return_to]").val();
    assertThat(returnTo).startsWith("/connect/authorize?");
    assertThat(MoneiTestClient.query(server.url() + returnTo))
        .isEqualTo(MoneiTestClient.query(authorize));

    HttpResponse<String> out = flow.postForm(server.url() + "/logout", Map.of("csrf_token",
        notYou.selectFirst("input[name=csrf_token]").val(), "return_to", returnTo));

    assertThat(out.statusCode()).isEqualTo(303);
    String login = out.headers().firstValue("Location").orElseThrow();
    assertThat(login).startsWith("/login?return_to=");
    assertThat(flow.signedIn()).isFalse();
    Document loginPage = Jsoup.parse(flow.get(server.url() + login).body());
    assertThat(loginPage.selectFirst("input[name=return_to]").val()).isEqualTo(returnTo);
    assertThat(loginPage.select(".continue").text()).isEqualTo("to continue to Swap <Shop>");

    HttpResponse<String> signedIn = flow.submitLogin(second.email(), TestServer.PASSWORD, returnTo);
    assertThat(signedIn.statusCode()).isEqualTo(303);
    assertThat(signedIn.headers().firstValue("Location")).hasValue(returnTo);
    MoneiTestClient.ConsentScreen again = flow.openConsent(server.url() + returnTo);
    assertThat(again.page().selectFirst("form[action=/logout]").text()).contains(second.email())
        .doesNotContain(first.email());
    assertThat(again.offeredScopes()).containsExactlyInAnyOrder("profile:read", "wallet:read");
    var redirect = flow.submitConsent(again, "allow", List.of("profile:read"));
    assertThat(MoneiTestClient.query(redirect).get("state")).isEqualTo("state-&-1");
  }

  @Test
  void notYouWhenReturnToIsAnotherOriginThenSignsOutToThePlainLoginPage() {
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    Document page = flow.openConsent(flow.authorizeUrl(server.app().create(), "profile:read", "s")).page();
    String csrf = page.selectFirst("form[action=/logout] input[name=csrf_token]").val();

    HttpResponse<String> out = flow.postForm(server.url() + "/logout",
        Map.of("csrf_token", csrf, "return_to", "https://evil.example/connect/authorize?client_id=x"));

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).hasValue("/login");
    assertThat(flow.signedIn()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"profile:read wallet:read wallet:send", "profile:read wallet:read"})
  void consentWhenWalletSendNotTickedThenTheSendFieldsAreIgnoredWhateverTheyHold(String requested) {
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, requested, "s"));

    HttpResponse<String> answer = flow.submitConsent(screen, "allow", List.of("profile:read", "wallet:read"),
        "send_limit", "-5 <b>", "send_limit_currency", "XXX", "send_confirm_above", "lots");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
    JsonNode token = tokens.exchangeOk(app, MoneiTestClient.query(answer).get("code"));
    assertThat(token.get("scope").asText().split(" ")).containsExactlyInAnyOrder("profile:read", "wallet:read");
    assertThat(token.has("authorization_details")).isFalse();
  }

  @Test
  void consentPageWhenShownThenListsEachScopeCheckedInPlainEnglishWithAppUserAndButtons() {
    User user = server.user();
    TestServer.TestApp app = server.app().name("Budget Buddy").create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    MoneiTestClient.ConsentScreen screen = flow.openConsent(
        flow.authorizeUrl(app, "profile:read wallet:read wallet:send", "s1"));
    Document page = screen.page();

    Element form = page.selectFirst("form[action=/connect/consent]");
    assertThat(form.attr("method")).isEqualToIgnoringCase("post");
    List<Element> boxes = form.select("input[type=checkbox][name=scope]");
    assertThat(boxes).extracting(Element::val)
        .containsExactlyInAnyOrder("profile:read", "wallet:read", "wallet:send");
    for (Element box : boxes) {
      assertThat(box.hasAttr("checked")).as("%s checked", box.val()).isTrue();
      assertThat(choiceText(box)).as("text next to %s", box.val()).contains(PLAIN_ENGLISH.get(box.val()));
    }
    assertThat(page.text()).contains("Budget Buddy").contains(user.name()).contains(user.email());
    assertThat(form.selectFirst("input[type=hidden][name=csrf_token]").val()).isNotBlank();
    assertThat(form.select("button[name=decision], input[type=submit][name=decision]")).extracting(Element::val)
        .containsExactlyInAnyOrder("allow", "deny");
  }

  @Test
  void consentPageWhenAppHasNoLogoThenMonogramAndNoImage() {
    User user = server.user();
    TestServer.TestApp app = server.app().name("zebra Pay").create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    Document page = flow.openConsent(flow.authorizeUrl(app, "profile:read", "s1")).page();

    assertThat(page.select("img")).isEmpty();
    Element monogram = page.selectFirst("[class~=monogram]");
    assertThat(monogram).as("a monogram element").isNotNull();
    assertThat(monogram.text()).isEqualToIgnoringCase("Z");
  }

  @Test
  void consentPageWhenAppHasLogoThenImageServedFromOwnOrigin() throws Exception {
    User user = server.user();
    byte[] png = tinyPng();
    TestServer.TestApp app = server.app().name("Logo App").logo(png).create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    Document page = flow.openConsent(flow.authorizeUrl(app, "profile:read", "s1")).page();

    Element img = page.selectFirst("img");
    assertThat(img).as("logo image").isNotNull();
    String src = img.attr("src");
    URI resolved = URI.create(server.url() + "/").resolve(src);
    assertThat(resolved.getScheme() + "://" + resolved.getAuthority()).isEqualTo(server.url());
    assertThat(resolved.getPath()).isEqualTo("/apps/" + app.clientId() + "/logo");
    HttpResponse<byte[]> logo = HttpClient.newHttpClient().send(HttpRequest.newBuilder(resolved).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(logo.statusCode()).isEqualTo(200);
    assertThat(logo.headers().firstValue("Content-Type").orElse("")).startsWith("image/png");
    assertThat(logo.body()).isEqualTo(png);
  }

  @Test
  void consentPageWhenWalletSendRequestedThenAsksForSendLimitWithDefault() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    Element form = flow.openConsent(flow.authorizeUrl(app, "wallet:read wallet:send", "s1")).page()
        .selectFirst("form[action=/connect/consent]");

    Element limit = form.selectFirst("[name=send_limit]");
    assertThat(limit).as("send_limit field").isNotNull();
    assertThat(new BigDecimal(limit.val().strip())).isPositive();
    Element currency = form.selectFirst("[name=send_limit_currency]");
    assertThat(currency).as("send_limit_currency field").isNotNull();
    String chosen = currency.is("select")
        ? currency.select("option[selected]").stream().findFirst().map(Element::val)
            .orElse(currency.select("option").first().val())
        : currency.val();
    assertThat(chosen).matches("[A-Z]{3}");
  }

  @Test
  void consentPageWhenWalletSendRequestedThenOffersEveryCurrencyOfTheSchemaWithNgnChosen() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    Element currency = flow.openConsent(flow.authorizeUrl(app, "wallet:send", "s1")).page()
        .selectFirst("select[name=send_limit_currency]");

    assertThat(currency.select("option").eachAttr("value"))
        .containsExactlyInAnyOrder("EUR", "GBP", "GHS", "JPY", "KES", "NGN", "USD", "ZAR");
    assertThat(currency.select("option[selected]").eachAttr("value")).containsExactly("NGN");
  }

  @Test
  void consentPageWhenWalletSendNotRequestedThenNoSendLimitFields() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    Document page = flow.openConsent(flow.authorizeUrl(app, "wallet:read profile:read", "s1")).page();

    assertThat(page.select("[name=send_limit], [name=send_limit_currency]")).isEmpty();
  }

  // ---- the decision ----

  /** What the user submits on a fresh consent screen: a decision and the ticked boxes. */
  private interface Submission {
    HttpResponse<String> submit(MoneiTestClient flow, MoneiTestClient.ConsentScreen screen);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(Named.of("denied with every scope ticked", (Submission) (flow, screen) ->
            flow.submitConsent(screen, "deny", screen.offeredScopes()))),
        Arguments.of(Named.of("allowed with nothing ticked", (Submission) (flow, screen) ->
            flow.submitConsent(screen, "allow", List.of()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void consentWhenDeniedOrNothingTickedThenSeeOtherWithAccessDeniedStateAndIssAndNoCode(Submission submission) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read wallet:read", "st-d"));

    HttpResponse<String> redirect = submission.submit(flow, screen);

    assertDenied(redirect, app, "st-d");
  }

  @Test
  void consentWhenDeniedThenNothingRemembered() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read", "st-1"));
    flow.submitConsent(screen, "deny", screen.offeredScopes());

    HttpResponse<String> again = flow.get(flow.authorizeUrl(app, "profile:read", "st-2"));

    assertThat(again.statusCode()).as("consent page again, not a code").isEqualTo(200);
    assertThat(MoneiTestClient.parseConsent(again.body()).offeredScopes()).containsExactly("profile:read");
  }

  @Test
  void consentWhenScopeUntickedThenTokenHasOnlyTickedScopeAndApiRefusesTheOther() {
    User user = server.user();
    server.credit(user, "NGN", "10.00");
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "wallet:read profile:read", "st-p"));
    assertThat(screen.offeredScopes()).containsExactlyInAnyOrder("wallet:read", "profile:read");

    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("profile:read"));

    assertThat(redirect.statusCode()).isEqualTo(303);
    JsonNode token = tokens.exchangeOk(app, MoneiTestClient.query(redirect).get("code"));
    assertThat(token.get("scopes")).extracting(JsonNode::asText).containsExactly("profile:read");
    assertThat(token.get("scope").asText()).isEqualTo("profile:read");
    String access = token.get("access_token").asText();
    HttpResponse<String> wallet = tokens.api("/api/v1/wallet/me", access);
    assertThat(wallet.statusCode()).isEqualTo(403);
    assertThat(wallet.headers().firstValue("WWW-Authenticate").orElse(""))
        .startsWith("Bearer").contains("error=\"insufficient_scope\"").contains("scope=\"wallet:read\"");
    assertThat(MoneiTestClient.json(wallet).get("error").asText()).isEqualTo("insufficient_scope");
    HttpResponse<String> profile = tokens.api("/api/v1/profile/me", access);
    assertThat(profile.statusCode()).isEqualTo(200);
    assertThat(MoneiTestClient.json(profile).get("email").asText()).isEqualTo(user.email());
  }

  static Stream<Arguments> unrequestedScopes() {
    return Stream.of(
        Arguments.of(Named.of("wallet:send added", List.of("wallet:read", "wallet:send"))),
        Arguments.of(Named.of("only wallet:send", List.of("wallet:send"))),
        Arguments.of(Named.of("unknown scope", List.of("wallet:read", "wallet:drain"))),
        Arguments.of(Named.of("profile:read added", List.of("profile:read"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unrequestedScopes")
  void consentWhenTickedScopeWasNotRequestedThenRefusedWithoutRedirect(List<String> ticked) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "wallet:read", "st-u"));

    HttpResponse<String> response = flow.submitConsent(screen, "allow", ticked);

    assertRefused(response);
    // Nothing was granted: the next request for wallet:read asks again.
    assertThat(flow.get(flow.authorizeUrl(app, "wallet:read", "st-u2")).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "0", "0.00", "10.001", "1e5", "99999999999999999999999"})
  void consentWhenSendLimitInvalidThenFormShownAgainWithoutRedirectAndNothingGranted(String limit) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "wallet:read wallet:send", "st-l"));

    HttpResponse<String> response = flow.submitConsent(screen, "allow", screen.offeredScopes(),
        "send_limit", limit, "send_limit_currency", "NGN");

    assertRefused(response);
    MoneiTestClient.ConsentScreen again = MoneiTestClient.parseConsent(response.body());
    assertThat(again.offeredScopes()).containsExactlyInAnyOrder("wallet:read", "wallet:send");
    HttpResponse<String> fixed = flow.submitConsent(again, "allow", again.offeredScopes(),
        "send_limit", "2500.00", "send_limit_currency", "NGN");
    assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(303);
    assertThat(MoneiTestClient.query(fixed)).containsEntry("state", "st-l").containsKey("code");
  }

  @Test
  void consentPageWhenAppNameHasMarkupThenEscaped() {
    User user = server.user();
    String name = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    TestServer.TestApp app = server.app().name(name).create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);

    Document page = flow.openConsent(flow.authorizeUrl(app, "profile:read", "s1")).page();

    assertThat(page.select("script, img[onerror], [onerror]")).isEmpty();
    assertThat(page.text()).contains(name);
  }

  // ---- CSRF, bound to the session and to the authorization request ----

  static Stream<Arguments> badCsrfTokens() {
    return Stream.of(
        Arguments.of(Named.of("missing", (String) null)),
        Arguments.of(Named.of("empty", "")),
        Arguments.of(Named.of("forged", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
        Arguments.of(Named.of("token of another form (sign-out)", "LOGOUT")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCsrfTokens")
  void consentWhenCsrfTokenBadThenForbiddenWithoutRedirect(String csrf) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read", "st-c"));
    if ("LOGOUT".equals(csrf)) {
      csrf = Jsoup.parse(flow.get(server.url() + "/").body()).selectFirst("input[name=csrf_token]").val();
    }
    StringBuilder body = new StringBuilder("request_id=" + MoneiTestClient.enc(screen.requestId()));
    if (csrf != null) body.append("&csrf_token=").append(MoneiTestClient.enc(csrf));
    body.append("&scope=profile:read&decision=allow");

    HttpResponse<String> response = flow.postRawForm(server.url() + "/connect/consent", body.toString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(response.headers().firstValue("Location")).isEmpty();
    assertThat(response.body()).doesNotContain("code=");
  }

  @Test
  void consentWhenCsrfTokenOfAnotherRequestUsedThenRefused() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen first = flow.openConsent(flow.authorizeUrl(app, "profile:read", "st-a"));
    MoneiTestClient.ConsentScreen second = flow.openConsent(flow.authorizeUrl(app, "wallet:read", "st-b"));
    assertThat(first.csrfToken()).isNotEqualTo(second.csrfToken());

    HttpResponse<String> crossed = flow.submitConsent(
        new MoneiTestClient.ConsentScreen(second.requestId(), first.csrfToken(), List.of(), first.page()),
        "allow", List.of("wallet:read"));

    assertRefused(crossed);
    // The request itself is intact: with its own token it still works.
    HttpResponse<String> own = flow.submitConsent(second, "allow", List.of("wallet:read"));
    assertThat(own.statusCode()).isEqualTo(303);
    assertThat(MoneiTestClient.query(own)).containsEntry("state", "st-b").containsKey("code");
  }

  @Test
  void consentWhenAnotherBrowserSubmitsRequestIdAndCsrfThenRefused() {
    User victim = server.user();
    User attacker = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient victimBrowser = new MoneiTestClient(server).signIn(victim);
    MoneiTestClient attackerBrowser = new MoneiTestClient(server).signIn(attacker);
    MoneiTestClient.ConsentScreen screen = victimBrowser.openConsent(
        victimBrowser.authorizeUrl(app, "profile:read wallet:read", "st-v"));

    HttpResponse<String> stolen = attackerBrowser.submitConsent(screen, "allow", screen.offeredScopes());

    assertRefused(stolen);
    HttpResponse<String> own = victimBrowser.submitConsent(screen, "allow", screen.offeredScopes());
    assertThat(own.statusCode()).isEqualTo(303);
    JsonNode token = tokens.exchangeOk(app, MoneiTestClient.query(own).get("code"));
    JsonNode profile = MoneiTestClient.json(tokens.api("/api/v1/profile/me", token.get("access_token").asText()));
    assertThat(profile.get("email").asText()).isEqualTo(victim.email());
  }

  @ParameterizedTest(name = "first decision: {0}")
  @ValueSource(strings = {"allow", "deny"})
  void consentWhenSameFormSubmittedAgainThenSecondRefusedAndNoSecondCode(String firstDecision) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read", "st-t"));

    HttpResponse<String> first = flow.submitConsent(screen, firstDecision, screen.offeredScopes());
    HttpResponse<String> second = flow.submitConsent(screen, "allow", screen.offeredScopes());

    if (firstDecision.equals("allow")) {
      assertThat(first.statusCode()).isEqualTo(303);
      assertThat(MoneiTestClient.query(first)).containsKey("code");
    } else {
      assertDenied(first, app, "st-t");
    }
    assertRefused(second);
  }

  static Stream<Arguments> invalidSubmissions() {
    return Stream.of(
        Arguments.of(Named.of("decision missing", "profile:read"), (Submission) (flow, screen) ->
            flow.submitConsent(screen, null, screen.offeredScopes())),
        Arguments.of(Named.of("decision maybe", "profile:read"), (Submission) (flow, screen) ->
            flow.submitConsent(screen, "maybe", screen.offeredScopes())),
        Arguments.of(Named.of("decision ALLOW in capitals", "profile:read"), (Submission) (flow, screen) ->
            flow.submitConsent(screen, "ALLOW", screen.offeredScopes())),
        Arguments.of(Named.of("send limit currency unknown", "wallet:send"), (Submission) (flow, screen) ->
            flow.submitConsent(screen, "allow", screen.offeredScopes(),
                "send_limit", "100.00", "send_limit_currency", "XXX")),
        Arguments.of(Named.of("request id and CSRF token from an anonymous browser", "profile:read"),
            (Submission) (flow, screen) ->
                new MoneiTestClient(server).submitConsent(screen, "allow", screen.offeredScopes())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSubmissions")
  void consentWhenSubmissionInvalidThenRefusedWithoutRedirect(String scope, Submission submission) {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, scope, "st-x"));

    HttpResponse<String> response = submission.submit(flow, screen);

    assertRefused(response);
  }

  @Test
  void consentWhenSameFormSubmittedConcurrentlyThenExactlyOneCode() throws Exception {
    int clicks = 4;
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read", "st-k"));
    CyclicBarrier together = new CyclicBarrier(clicks);
    ExecutorService pool = Executors.newFixedThreadPool(clicks);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < clicks; i++) {
        answers.add(pool.submit(() -> {
          together.await(30, TimeUnit.SECONDS);
          return flow.submitConsent(screen, "allow", screen.offeredScopes());
        }));
      }
      int codes = 0;
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
        if (response.statusCode() == 303) {
          assertThat(MoneiTestClient.query(response)).containsKey("code");
          codes++;
        } else {
          assertRefused(response);
        }
      }
      assertThat(codes).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- remembered and incremental consent ----

  @Test
  void authorizeWhenScopesAlreadyGrantedThenCodeAtOnceWith302() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.approve(app, "profile:read wallet:read", List.of("profile:read", "wallet:read"));

    HttpResponse<String> again = flow.get(flow.authorizeUrl(app, "wallet:read profile:read", "st-r"));

    assertThat(again.statusCode()).as(again.body()).isEqualTo(302);
    assertThat(again.headers().firstValue("Location").orElseThrow()).startsWith(app.redirectUri() + "?");
    Map<String, String> params = MoneiTestClient.query(again);
    assertThat(params).containsEntry("state", "st-r").containsEntry("iss", server.issuer());
    JsonNode token = tokens.exchangeOk(app, params.get("code"));
    assertThat(token.get("scopes")).extracting(JsonNode::asText).containsExactly("profile:read", "wallet:read");
  }

  @Test
  void authorizeWhenSubsetOfGrantedScopesRequestedThenCodeAtOnce() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.approve(app, "profile:read wallet:read", List.of("profile:read", "wallet:read"));

    HttpResponse<String> again = flow.get(flow.authorizeUrl(app, "profile:read", "st-r"));

    assertThat(again.statusCode()).isEqualTo(302);
    assertThat(MoneiTestClient.query(again)).containsKey("code");
  }

  @Test
  void authorizeWhenGrantedAndPromptConsentThenConsentPageShownAgain() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.approve(app, "profile:read wallet:read", List.of("profile:read", "wallet:read"));

    HttpResponse<String> again = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", app.redirectUri(), "scope", "profile:read wallet:read", "state", "st-f", "prompt", "consent"));

    assertThat(again.statusCode()).isEqualTo(200);
    MoneiTestClient.ConsentScreen screen = MoneiTestClient.parseConsent(again.body());
    assertThat(screen.offeredScopes()).containsExactly("profile:read", "wallet:read");
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", screen.offeredScopes());
    assertThat(redirect.statusCode()).isEqualTo(303);
    assertThat(MoneiTestClient.query(redirect)).containsEntry("state", "st-f").containsKey("code");
  }

  /** An earlier grant of profile:read that is not this user's for this app. */
  private interface EarlierGrant {
    void approve(MoneiTestClient thisUsersBrowser, TestServer.TestApp thisApp);
  }

  static Stream<Arguments> grantsOfSomeoneElse() {
    return Stream.of(
        Arguments.of(Named.of("another user granted this app", (EarlierGrant) (flow, app) ->
            new MoneiTestClient(server).signIn(server.user()).approve(app, "profile:read", List.of("profile:read")))),
        Arguments.of(Named.of("this user granted another app", (EarlierGrant) (flow, app) ->
            flow.approve(server.app().create(), "profile:read", List.of("profile:read")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grantsOfSomeoneElse")
  void authorizeWhenGrantedByOtherUserOrToOtherAppThenStillAsked(EarlierGrant earlier) {
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    earlier.approve(flow, app);

    HttpResponse<String> response = flow.get(flow.authorizeUrl(app, "profile:read", "st-o"));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void authorizeWhenMoreScopesRequestedThenConsentOnlyForNewOnesAndTokenCarriesAll() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.approve(app, "profile:read", List.of("profile:read"));

    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read wallet:read", "st-i"));

    assertThat(screen.offeredScopes()).containsExactly("wallet:read");
    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("wallet:read"));
    assertThat(redirect.statusCode()).isEqualTo(303);
    JsonNode token = tokens.exchangeOk(app, MoneiTestClient.query(redirect).get("code"));
    assertThat(token.get("scopes")).extracting(JsonNode::asText).containsExactly("profile:read", "wallet:read");
  }

  @Test
  void authorizeWhenOnlyMissingScopeRequestedThenTokenCarriesEarlierGrantsToo() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.approve(app, "profile:read", List.of("profile:read"));

    String code = flow.approve(app, "wallet:read", List.of("wallet:read"));

    JsonNode token = tokens.exchangeOk(app, code);
    assertThat(token.get("scopes")).extracting(JsonNode::asText).containsExactly("profile:read", "wallet:read");
  }

  @Test
  void consentWhenIncrementalRequestShownThenEarlierScopeCannotBeTickedAgainAsNew() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.approve(app, "profile:read", List.of("profile:read"));
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read wallet:read", "st-i"));

    HttpResponse<String> denied = flow.submitConsent(screen, "deny", screen.offeredScopes());

    assertDenied(denied, app, "st-i");
    // Denying the new scope does not forget the old one.
    HttpResponse<String> remembered = flow.get(flow.authorizeUrl(app, "profile:read", "st-j"));
    assertThat(remembered.statusCode()).isEqualTo(302);
    assertThat(MoneiTestClient.query(remembered)).containsKey("code");
  }

  @Test
  void consentWhenPromptConsentAndGrantedScopeUntickedThenUntickingIsNotIgnored() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.approve(app, "profile:read wallet:read", List.of("profile:read", "wallet:read"));
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", app.redirectUri(), "scope", "profile:read wallet:read", "state", "st-q",
        "prompt", "consent"));

    HttpResponse<String> redirect = flow.submitConsent(screen, "allow", List.of("profile:read"));

    assertThat(redirect.statusCode()).isEqualTo(303);
    JsonNode token = tokens.exchangeOk(app, MoneiTestClient.query(redirect).get("code"));
    // SPEC 1.2: each scope has "its own allow/deny choice" and granted = requested ∩ ticked. A box the
    // user can untick must matter: either wallet:read is not offered as a choice (shown as already
    // allowed), or unticking it keeps it out of the new token.
    if (screen.offeredScopes().contains("wallet:read")) {
      assertThat(token.get("scopes")).extracting(JsonNode::asText).as("scopes after unticking wallet:read")
          .containsExactly("profile:read");
    }
  }

  @Test
  void consentWhenIncrementalFormShownAgainAfterInvalidLimitThenStillOffersOnlyNewScopes() {
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    flow.approve(app, "profile:read", List.of("profile:read"));
    MoneiTestClient.ConsentScreen screen = flow.openConsent(flow.authorizeUrl(app, "profile:read wallet:send", "st-g"));
    assertThat(screen.offeredScopes()).containsExactly("wallet:send");

    HttpResponse<String> response = flow.submitConsent(screen, "allow", screen.offeredScopes(),
        "send_limit", "not-a-number", "send_limit_currency", "NGN");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(MoneiTestClient.parseConsent(response.body()).offeredScopes()).containsExactly("wallet:send");
  }

  // ---- concurrency ----

  @ParameterizedTest(name = "separate browsers: {0}")
  @ValueSource(booleans = {false, true})
  void consentWhenManyFirstTimeAuthorizationsConcurrentThenAllSucceed(boolean separateBrowsers) throws Exception {
    int tabs = 8;
    User user = server.user();
    TestServer.TestApp app = server.app().create();
    // Either one browser with eight tabs, or four browsers (signed in as the same user) with two tabs each.
    List<MoneiTestClient> signedIn = new ArrayList<>();
    for (int i = 0; i < (separateBrowsers ? 4 : 1); i++) signedIn.add(new MoneiTestClient(server).signIn(user));
    List<MoneiTestClient> browsers = new ArrayList<>();
    for (int i = 0; i < tabs; i++) browsers.add(signedIn.get(i % signedIn.size()));
    CyclicBarrier opened = new CyclicBarrier(tabs);
    ExecutorService pool = Executors.newFixedThreadPool(tabs);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < tabs; i++) {
        MoneiTestClient flow = browsers.get(i);
        String state = "tab-" + i;
        answers.add(pool.submit(() -> {
          MoneiTestClient.ConsentScreen screen = flow.openConsent(
              flow.authorizeUrl(app, "profile:read wallet:read", state));
          opened.await(30, TimeUnit.SECONDS);
          return flow.submitConsent(screen, "allow", screen.offeredScopes());
        }));
      }
      for (int i = 0; i < tabs; i++) {
        HttpResponse<String> redirect = answers.get(i).get(60, TimeUnit.SECONDS);
        assertThat(redirect.statusCode()).as("tab %d: %s", i, redirect.body()).isEqualTo(303);
        Map<String, String> params = MoneiTestClient.query(redirect);
        assertThat(params).as("tab %d", i).containsEntry("state", "tab-" + i).containsKey("code");
        JsonNode token = tokens.exchangeOk(app, params.get("code"));
        assertThat(token.get("scopes")).extracting(JsonNode::asText)
            .containsExactly("profile:read", "wallet:read");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers ----

  private static void assertDenied(HttpResponse<String> redirect, TestServer.TestApp app, String state) {
    assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(303);
    assertThat(redirect.headers().firstValue("Location").orElseThrow()).startsWith(app.redirectUri() + "?");
    Map<String, String> params = MoneiTestClient.query(redirect);
    assertThat(params).containsEntry("error", "access_denied").containsEntry("state", state)
        .containsEntry("iss", server.issuer()).doesNotContainKey("code");
  }

  private static void assertRefused(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    assertThat(response.headers().firstValue("Location")).as("no redirect").isEmpty();
    assertThat(response.body()).doesNotContain("code=");
  }

  /** The text of the label or list item around a checkbox. */
  private static String choiceText(Element box) {
    Element around = box.closest("label");
    if (around == null) around = box.closest("li");
    if (around == null && !box.id().isEmpty())
      around = box.ownerDocument().selectFirst("label[for=" + box.id() + "]");
    return around == null ? "" : around.text();
  }

  @Test
  void logoLargerThanTheResponseCopyBufferIsServedWhole() throws Exception {
    byte[] png = noisyPng(120);
    assertThat(png.length).as("several times the 4 KiB copy buffer, under the 100 KiB limit")
        .isBetween(20 * 1024, 100 * 1024);
    TestServer.TestApp app = server.app().name("Big Logo App").logo(png).create();

    HttpResponse<byte[]> logo = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.url() + "/apps/" + app.clientId() + "/logo")).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(logo.statusCode()).isEqualTo(200);
    assertThat(logo.body()).isEqualTo(png);
  }

  /** Random pixels, so the PNG does not compress: {@code side}² × 3 bytes, roughly. */
  private static byte[] noisyPng(int side) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(42);
    for (int x = 0; x < side; x++) for (int y = 0; y < side; y++) image.setRGB(x, y, random.nextInt(1 << 24));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] tinyPng() {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 8; x++) for (int y = 0; y < 8; y++) image.setRGB(x, y, ((x + y) % 2 == 0 ? Color.ORANGE
        : Color.BLUE).getRGB());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
