package com.monei.connect.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.Config;
import com.monei.connect.server.account.User;
import com.monei.connect.server.oauth.Pkce;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import com.monei.connect.server.validation.ValidationException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SPEC 2 `/developers/apps` over real HTTP: registration (multipart, with a logo), the secret shown
 * once after a 303 (post/redirect/get), redirect URI edits, secret rotation with its overlap and
 * ending it at once, deletion, ownership (404 for anyone else) and the page rules of SPEC 1.2 (CSRF,
 * 303 after POST, headers).
 */
@WithTestServer
class DeveloperPortalTest {
  private static final String APPS = MoneiTestClient.PORTAL_APPS;
  private static final Pattern SECRET = Pattern.compile("mcs_[0-9A-Za-z]{49}");
  private static final Pattern ANY_SECRET = Pattern.compile("mcs_");
  private static final String CALLBACK = "http://localhost:3000/monei/callback";
  private static final Duration OVERLAP = Config.DEFAULT_SECRET_ROTATION_OVERLAP;
  private static final String REVEAL_COOKIE = "monei_secret_reveal";
  private static final String SHOWN_ONCE = "The client secret was shown once and cannot be shown again";

  static TestServer server;
  /** The developer most tests act as, a second developer, and a user who connects apps. */
  static User developer;
  static User otherDeveloper;
  static User consentingUser;
  private static final Map<User, Signed<MoneiTestClient>> portals = new java.util.HashMap<>();
  private static Signed<MoneiTestClient> flow;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    developer = server.user();
    otherDeveloper = server.user();
    consentingUser = server.user();
  }

  /**
   * A signed-in browser, kept across tests while its session surely lasts (tests move the clock):
   * sign-in is a use, so it lasts the idle window at least.
   */
  private record Signed<T>(T browser, Instant at) {
    boolean fresh() {
      return server.clock.instant().isBefore(at.plus(Config.DEFAULT_SESSION_IDLE));
    }
  }

  private static MoneiTestClient dev() {
    return portal(developer);
  }

  private static MoneiTestClient other() {
    return portal(otherDeveloper);
  }

  private static MoneiTestClient portal(User user) {
    Signed<MoneiTestClient> signed = portals.get(user);
    if (signed == null || !signed.fresh()) {
      signed = new Signed<>(new MoneiTestClient(server).signIn(user), server.clock.instant());
      portals.put(user, signed);
    }
    return signed.browser();
  }

  private static MoneiTestClient consenter() {
    if (flow == null || !flow.fresh()) flow = new Signed<>(new MoneiTestClient(server).signIn(consentingUser),
        server.clock.instant());
    return flow.browser();
  }

  private static long appsOfDeveloper() {
    return count("SELECT COUNT(*) AS n FROM apps WHERE owner_user_id = '" + developer.id() + "'");
  }

  // ---- registration ----

  @Test
  void registerWhenConfidentialThenSeeOtherToSecretShownOnceAndOnlyItsHashStored() {
    MoneiTestClient dev = dev();

    HttpResponse<String> answer = dev.postMultipart(APPS, registration(dev.portalCsrf(), "Kobo Shop",
        "https://kobo.example/monei/callback\r\nhttp://127.0.0.1:8000/cb\r\n\r\n", "confidential").emptyLogo());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
    String location = answer.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches(Pattern.quote(APPS) + "/mc_[0-9A-Za-z]+/secret");
    assertThat(ANY_SECRET.matcher(answer.body()).find()).as("nothing secret in the POST's answer").isFalse();
    HttpResponse<String> page = dev.follow(answer);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    Document doc = Jsoup.parse(page.body());
    String clientId = doc.selectFirst("code.client-id").text();
    assertThat(clientId).matches("mc_[0-9A-Za-z]+");
    List<String> secrets = secretsIn(page.body());
    assertThat(secrets).hasSize(1);
    String secret = secrets.get(0);
    assertThat(TokenFormat.isWellFormed(secret, TokenFormat.CLIENT_SECRET)).isTrue();
    assertThat(doc.text()).contains("Copy it now; it will not be shown again");
    assertThat(doc.select("a[href=/developers/apps]")).isNotEmpty();

    HttpResponse<String> list = dev.get(APPS);
    assertThat(list.body()).contains(clientId).contains("Kobo Shop").doesNotContain(secret);
    assertThat(ANY_SECRET.matcher(list.body()).find()).isFalse();
    Element row = Jsoup.parse(list.body()).selectFirst("[data-client-id=" + clientId + "]");
    assertThat(row.select("ul.uris code").eachText())
        .containsExactly("https://kobo.example/monei/callback", "http://127.0.0.1:8000/cb");
    assertThat(row.text()).contains("Confidential");
    HttpResponse<String> detail = dev.get(APPS + "/" + clientId);
    assertThat(detail.statusCode()).isEqualTo(200);
    assertThat(detail.body()).contains(clientId).doesNotContain(secret);

    assertThat(secretHashes(clientId)).containsExactly(Hashes.sha256(secret));
    List<String> auditDetails = server.services().db.list(
        "SELECT COALESCE(detail, '') AS detail FROM audit_events", rs -> rs.getString("detail"));
    assertThat(auditDetails).noneMatch(d -> d.contains(secret));
    assertThat(auditEvents("app.created", clientId)).containsExactly(developer.id());
  }

  @Test
  void registerWhenPublicThenSeeOtherToAppPageWithoutAnySecret() {
    MoneiTestClient dev = dev();

    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Pocket App", CALLBACK, "public").emptyLogo());

    assertThat(answer.statusCode()).isEqualTo(303);
    String location = answer.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(APPS + "/mc_");
    String clientId = location.substring((APPS + "/").length(), location.indexOf('?'));
    HttpResponse<String> detail = dev.get(location);
    assertThat(detail.statusCode()).isEqualTo(200);
    assertThat(detail.body()).contains(clientId).contains("Public");
    assertThat(ANY_SECRET.matcher(detail.body()).find()).isFalse();
    assertThat(Jsoup.parse(detail.body()).select("form[action$=/secret]")).isEmpty();
    assertThat(secretHashes(clientId)).isEmpty();
  }

  @Test
  void registerWhenWebsiteAndPrivacyPolicyGivenThenTheAppPageLinksThem() {
    MoneiTestClient dev = dev();

    HttpResponse<String> answer = dev.postMultipart(APPS, registration(dev.portalCsrf(), "Linked App", CALLBACK,
        "public").field("website", "https://linked.example/").field("privacy_url", "https://linked.example/privacy")
        .emptyLogo());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
    Document detail = Jsoup.parse(dev.follow(answer).body());
    assertThat(detail.select(".app-links a").eachAttr("href"))
        .containsExactly("https://linked.example/", "https://linked.example/privacy");
    assertThat(detail.select(".app-links a").eachAttr("rel")).containsOnly("noopener noreferrer");
    assertThat(detail.text()).contains("Not verified by Monei");
  }

  @ParameterizedTest
  @ValueSource(strings = {"website", "privacy_url"})
  void registerWhenLinkIsNotHttpsThenFormAgainWith400SayingSoAndNothingCreated(String field) {
    MoneiTestClient dev = dev();
    long before = appsOfDeveloper();

    HttpResponse<String> page = dev.postMultipart(APPS, registration(dev.portalCsrf(), "Plain App", CALLBACK,
        "confidential").field(field, "http://plain.example/").emptyLogo());

    assertThat(page.statusCode()).isEqualTo(400);
    Document doc = Jsoup.parse(page.body());
    assertThat(doc.selectFirst("[role=alert]").text()).contains("must be an https address");
    assertThat(doc.selectFirst("form[action=/developers/apps] input[name=" + field + "]").val())
        .isEqualTo("http://plain.example/");
    assertThat(appsOfDeveloper()).isEqualTo(before);
  }

  @Test
  void registerWhenPngLogoUploadedThenServedFromMoneiOriginOnTheList() {
    MoneiTestClient dev = dev();
    byte[] logo = png(48, 48);

    Registered app = register(dev, registration(dev.portalCsrf(), "Logo Shop", CALLBACK, "confidential")
        .file("logo", "logo.png", "image/png", logo));

    Element img = Jsoup.parse(dev.get(APPS).body()).selectFirst("[data-client-id=" + app.clientId() + "] img.logo");
    assertThat(img.attr("src")).isEqualTo("/apps/" + app.clientId() + "/logo");
    HttpResponse<byte[]> served = getBytes("/apps/" + app.clientId() + "/logo");
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("image/png"));
    assertThat(dimensions(served.body())).isEqualTo(List.of(48, 48));
  }

  @Test
  void registerWhenJpegLogoUploadedThenServedAsMoneisPng() {
    MoneiTestClient dev = dev();

    Registered app = register(dev, registration(dev.portalCsrf(), "Jpeg Shop", CALLBACK, "confidential")
        .file("logo", "logo.jpg", "image/jpeg", image(40, 40, "jpg", BufferedImage.TYPE_INT_RGB)));

    assertThat(getBytes("/apps/" + app.clientId() + "/logo").headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("image/png"));
  }

  /** Width and height of a served PNG, which Monei encoded itself. */
  private static List<Integer> dimensions(byte[] png) {
    try {
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
      return List.of(decoded.getWidth(), decoded.getHeight());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void registerWhenNoLogoChosenThenMonogramShown() {
    MoneiTestClient dev = dev();

    Registered app = register(dev, registration(dev.portalCsrf(), "zebra pay", CALLBACK, "confidential").emptyLogo());

    Element row = Jsoup.parse(dev.get(APPS).body()).selectFirst("[data-client-id=" + app.clientId() + "]");
    assertThat(row.select("img")).isEmpty();
    assertThat(row.selectFirst(".monogram").text()).isEqualTo("Z");
    assertThat(getBytes("/apps/" + app.clientId() + "/logo").statusCode()).isEqualTo(404);
  }

  static Stream<Arguments> invalidRegistrations() {
    byte[] gif = image(16, 16, "gif", BufferedImage.TYPE_INT_RGB);
    byte[] bigPng = noisyPng(110 * 1024);
    return Stream.of(
        Arguments.of(Named.of("empty name", new Form("", CALLBACK, "confidential", null, null, null))),
        Arguments.of(Named.of("blank name", new Form("   ", CALLBACK, "confidential", null, null, null))),
        Arguments.of(Named.of("name over 80 characters", new Form("x".repeat(81), CALLBACK, "confidential",
            null, null, null))),
        Arguments.of(Named.of("no redirect URI", new Form("Shop", "", "public", null, null, null))),
        Arguments.of(Named.of("only blank lines", new Form("Shop", "\r\n  \r\n", "confidential", null, null, null))),
        Arguments.of(Named.of("http on a public host", new Form("Shop", "http://example.com/cb", "confidential",
            null, null, null))),
        Arguments.of(Named.of("one good, one http", new Form("Shop", "https://shop.example/cb\r\nhttp://example.com/cb",
            "confidential", null, null, null))),
        Arguments.of(Named.of("relative URI", new Form("Shop", "/monei/callback", "confidential", null, null, null))),
        Arguments.of(Named.of("URI with fragment", new Form("Shop", "https://shop.example/cb#done", "confidential",
            null, null, null))),
        Arguments.of(Named.of("not a URI", new Form("Shop", "https://shop example/cb", "confidential",
            null, null, null))),
        Arguments.of(Named.of("custom scheme", new Form("Shop", "myapp://callback", "public", null, null, null))),
        Arguments.of(Named.of("missing type", new Form("Shop", CALLBACK, null, null, null, null))),
        Arguments.of(Named.of("unknown type", new Form("Shop", CALLBACK, "trusted", null, null, null))),
        Arguments.of(Named.of("GIF logo", new Form("Shop", CALLBACK, "confidential", "logo.gif", "image/gif", gif))),
        Arguments.of(Named.of("GIF logo named .png", new Form("Shop", CALLBACK, "confidential", "logo.png",
            "image/png", gif))),
        Arguments.of(Named.of("text logo", new Form("Shop", CALLBACK, "confidential", "logo.png", "image/png",
            "this is not an image".getBytes(StandardCharsets.UTF_8)))),
        Arguments.of(Named.of("truncated PNG", new Form("Shop", CALLBACK, "confidential", "logo.png", "image/png",
            java.util.Arrays.copyOf(png(64, 64), 60)))),
        Arguments.of(Named.of("empty logo file", new Form("Shop", CALLBACK, "confidential", "logo.png", "image/png",
            new byte[0]))),
        Arguments.of(Named.of("PNG over 100 KB", new Form("Shop", CALLBACK, "confidential", "big.png", "image/png",
            bigPng))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRegistrations")
  void registerWhenInputInvalidThenFormAgainWith400AndNothingCreated(Form form) {
    MoneiTestClient dev = dev();
    MoneiTestClient.Multipart body = registration(dev.portalCsrf(), form.name(), form.redirectUris(), form.type());
    if (form.logo() == null) body.emptyLogo();
    else body.file("logo", form.logoName(), form.logoType(), form.logo());

    long before = appsOfDeveloper();

    HttpResponse<String> page = dev.postMultipart(APPS, body);

    assertThat(page.statusCode()).isEqualTo(400);
    Document doc = Jsoup.parse(page.body());
    assertThat(doc.selectFirst("[role=alert]").text()).isNotBlank();
    Element again = doc.selectFirst("form[action=/developers/apps]");
    assertThat(again.attr("enctype")).isEqualTo("multipart/form-data");
    assertThat(again.selectFirst("input[name=name]").val()).isEqualTo(form.name());
    assertThat(normalizeNewlines(again.selectFirst("textarea[name=redirect_uris]").val()))
        .isEqualTo(normalizeNewlines(form.redirectUris()));
    assertThat(again.selectFirst("input[name=type][checked]").val())
        .isEqualTo("public".equals(form.type()) ? "public" : "confidential");
    assertThat(ANY_SECRET.matcher(page.body()).find()).isFalse();
    assertThat(appsOfDeveloper()).isEqualTo(before);
  }

  @Test
  void registerWhenUploadOverMultipartLimitThenRefusedAndNothingCreated() {
    MoneiTestClient dev = dev();
    long before = appsOfDeveloper();
    byte[] huge = new byte[3 * 1024 * 1024];
    new Random(7).nextBytes(huge);

    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Huge", CALLBACK, "confidential")
        .file("logo", "huge.png", "image/png", huge));

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(appsOfDeveloper()).isEqualTo(before);
  }

  // ---- the registered app works ----

  @Test
  void registerWhenConfidentialAppCreatedThenItCompletesOAuthFlowWithItsSecret() {
    MoneiTestClient dev = dev();
    Registered registered = register(dev,
        registration(dev.portalCsrf(), "Flow Shop", CALLBACK, "confidential").emptyLogo());
    TestServer.TestApp app = new TestServer.TestApp(registered.clientId(), registered.secret(), List.of(CALLBACK));

    MoneiTestClient flow = consenter();
    String code = flow.approve(app, "profile:read", List.of("profile:read"));
    JsonNode tokens = new MoneiTestClient(server).exchangeOk(app, code);

    assertThat(tokens.get("scope").asText()).isEqualTo("profile:read");
    assertThat(new MoneiTestClient(server).api("/api/v1/profile/me", tokens.get("access_token").asText()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void registerWhenPublicAppCreatedThenItCompletesOAuthFlowWithPkce() {
    MoneiTestClient dev = dev();
    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Pkce App", CALLBACK, "public").emptyLogo());
    String location = answer.headers().firstValue("Location").orElseThrow();
    String clientId = location.substring((APPS + "/").length(), location.indexOf('?'));
    TestServer.TestApp app = new TestServer.TestApp(clientId, null, List.of(CALLBACK));
    String verifier = "v".repeat(20) + "-pkce-" + "w".repeat(30);

    MoneiTestClient flow = consenter();
    String code = flow.approve(app, "profile:read", List.of("profile:read"),
        "code_challenge", Pkce.s256(verifier), "code_challenge_method", "S256");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", CALLBACK);
    form.put("client_id", clientId);
    form.put("code_verifier", verifier);
    HttpResponse<String> token = new MoneiTestClient(server).tokenPostForm(form);

    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    assertThat(MoneiTestClient.json(token).get("access_token").asText()).startsWith("mct_");
  }

  // ---- redirect URIs ----

  @Test
  void changeRedirectUrisWhenSavedThenNewOneWorksAndRemovedOneGetsErrorPage() {
    MoneiTestClient dev = dev();
    Registered app = register(dev, registration(dev.portalCsrf(), "Moving Shop", CALLBACK, "confidential").emptyLogo());
    String moved = "https://moving.example/monei/callback";

    HttpResponse<String> answer = dev.postForm(APPS + "/" + app.clientId() + "/redirect-uris",
        form(detailCsrf(dev, app.clientId()), "redirect_uris", moved + "\r\n"));

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(answer.headers().firstValue("Location")).hasValueSatisfying(
        l -> assertThat(l).startsWith(APPS + "/" + app.clientId()));
    Document detail = Jsoup.parse(dev.get(answer.headers().firstValue("Location").orElseThrow()).body());
    assertThat(detail.selectFirst("textarea[name=redirect_uris]").val()).isEqualTo(moved);
    assertThat(detail.selectFirst("[role=status]").text()).contains("saved");

    MoneiTestClient flow = consenter();
    HttpResponse<String> withNew = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", moved, "response_type", "code", "scope", "profile:read", "state", "s1"));
    assertThat(withNew.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(withNew.body()).select("form[action=/connect/consent]")).isNotEmpty();
    HttpResponse<String> withRemoved = flow.get(flow.authorizeUrl("client_id", app.clientId(),
        "redirect_uri", CALLBACK, "response_type", "code", "scope", "profile:read", "state", "s2"));
    assertThat(withRemoved.statusCode()).isEqualTo(400);
    assertThat(withRemoved.headers().firstValue("Location")).isEmpty();
    assertThat(withRemoved.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("text/html"));
    assertThat(auditEvents("app.redirect_uris_changed", app.clientId())).containsExactly(developer.id());
  }

  @Test
  void changeRedirectUrisWhenSeveralLinesThenAllSavedInOrderWithoutDuplicates() {
    MoneiTestClient dev = dev();
    Registered app = register(dev, registration(dev.portalCsrf(), "Multi Shop", CALLBACK, "confidential").emptyLogo());

    dev.postForm(APPS + "/" + app.clientId() + "/redirect-uris", form(detailCsrf(dev, app.clientId()),
        "redirect_uris", "  https://b.example/cb \r\n\r\nhttp://localhost:9000/cb\nhttps://b.example/cb\n"));

    assertThat(redirectUris(app.clientId())).containsExactly("https://b.example/cb", "http://localhost:9000/cb");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"", "\r\n \r\n", "http://example.com/cb", "/relative/cb", "https://shop.example/cb#x",
      "https://ok.example/cb\r\nftp://files.example/cb"})
  void changeRedirectUrisWhenInvalidThen400WithEnteredValueAndUnchanged(String entered) {
    MoneiTestClient dev = dev();
    Registered app = register(dev, registration(dev.portalCsrf(), "Stable Shop", CALLBACK, "confidential").emptyLogo());

    HttpResponse<String> page = dev.postForm(APPS + "/" + app.clientId() + "/redirect-uris",
        form(detailCsrf(dev, app.clientId()), "redirect_uris", entered));

    assertThat(page.statusCode()).isEqualTo(400);
    Document doc = Jsoup.parse(page.body());
    assertThat(doc.selectFirst("[role=alert]").text()).isNotBlank();
    assertThat(normalizeNewlines(doc.selectFirst("textarea[name=redirect_uris]").val()))
        .isEqualTo(normalizeNewlines(entered));
    assertThat(redirectUris(app.clientId())).containsExactly(CALLBACK);
  }

  // ---- secret rotation ----

  @Test
  void rotateSecretWhenRotatedThenBothWorkDuringOverlapAndOnlyNewAfterIt() {
    MoneiTestClient dev = dev();
    Registered app = register(dev,
        registration(dev.portalCsrf(), "Rotating Shop", CALLBACK, "confidential").emptyLogo());
    Instant rotatedAt = server.clock.instant();

    HttpResponse<String> answer = dev.postForm(APPS + "/" + app.clientId() + "/secret",
        form(detailCsrf(dev, app.clientId())));

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(answer.headers().firstValue("Location")).hasValue(APPS + "/" + app.clientId() + "/secret");
    assertThat(ANY_SECRET.matcher(answer.body()).find()).isFalse();
    HttpResponse<String> page = dev.follow(answer);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    List<String> shown = secretsIn(page.body());
    assertThat(shown).hasSize(1);
    String newSecret = shown.get(0);
    assertThat(newSecret).isNotEqualTo(app.secret());
    assertThat(Jsoup.parse(page.body()).text()).contains("Copy it now; it will not be shown again")
        .contains("previous secret keeps working until");
    assertThat(dev.get(APPS + "/" + app.clientId()).body()).doesNotContain(newSecret)
        .contains("previous secret keeps working until");
    assertThat(secretHashes(app.clientId())).containsExactlyInAnyOrder(Hashes.sha256(app.secret()),
        Hashes.sha256(newSecret));
    assertThat(secretExpiry(app.clientId(), app.secret())).isEqualTo(rotatedAt.plus(OVERLAP).toEpochMilli());
    assertThat(secretExpiry(app.clientId(), newSecret)).isNull();
    assertThat(auditEvents("app.secret_rotated", app.clientId())).containsExactly(developer.id());

    TestServer.TestApp withOld = new TestServer.TestApp(app.clientId(), app.secret(), List.of(CALLBACK));
    TestServer.TestApp withNew = new TestServer.TestApp(app.clientId(), newSecret, List.of(CALLBACK));
    assertThat(exchange(withOld).statusCode()).isEqualTo(200);
    assertThat(exchange(withNew).statusCode()).isEqualTo(200);

    server.advance(OVERLAP.plusSeconds(1));

    HttpResponse<String> old = exchange(withOld);
    assertThat(old.statusCode()).isEqualTo(401);
    assertThat(MoneiTestClient.json(old).get("error").asText()).isEqualTo("invalid_client");
    assertThat(exchange(withNew).statusCode()).isEqualTo(200);
    assertThat(dev().get(APPS + "/" + app.clientId()).body()).doesNotContain("previous secret keeps working");
  }

  @Test
  void rotateSecretWhenRotatedTwiceThenEachPreviousSecretKeepsItsOwnExpiry() {
    MoneiTestClient dev = dev();
    Registered app = register(dev, registration(dev.portalCsrf(), "Twice Shop", CALLBACK, "confidential").emptyLogo());
    String first = app.secret();
    String second = rotate(dev, app.clientId());
    server.advance(Duration.ofHours(1));
    String third = rotate(dev(), app.clientId()); // an hour later: signed in again

    assertThat(List.of(first, second, third)).allMatch(s -> authenticates(app.clientId(), s));

    server.advance(OVERLAP.minusHours(1).plusSeconds(1));
    assertThat(authenticates(app.clientId(), first)).isFalse();
    assertThat(authenticates(app.clientId(), second)).isTrue();
    assertThat(authenticates(app.clientId(), third)).isTrue();

    server.advance(Duration.ofHours(1));
    assertThat(authenticates(app.clientId(), second)).isFalse();
    assertThat(authenticates(app.clientId(), third)).isTrue();
  }

  @Test
  void rotateSecretWhenAppIsPublicThen400AndNoSecret() {
    MoneiTestClient dev = dev();
    String clientId = registerPublic(dev, "Public Shop");

    HttpResponse<String> page = dev.postForm(APPS + "/" + clientId + "/secret", form(detailCsrf(dev, clientId)));

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(ANY_SECRET.matcher(page.body()).find()).isFalse();
    assertThat(secretHashes(clientId)).isEmpty();
  }

  // ---- the secret page: once, for the session that made the secret ----

  @Test
  void secretPageWhenReloadedThenShownNoMoreCookieClearedAndStillOneApp() {
    MoneiTestClient dev = dev();
    long before = appsOfDeveloper();
    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Reload Shop", CALLBACK, "confidential").emptyLogo());
    assertThat(answer.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
        .startsWith(REVEAL_COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
        .contains("Path=" + answer.headers().firstValue("Location").orElseThrow()));
    HttpResponse<String> first = dev.follow(answer);
    String secret = secretsIn(first.body()).get(0);
    String clientId = Jsoup.parse(first.body()).selectFirst("code.client-id").text();
    assertThat(Jsoup.parse(first.body()).selectFirst("button[data-copy=client_secret]")).isNotNull();

    HttpResponse<String> reload = dev.get(APPS + "/" + clientId + "/secret");

    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(reload.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(ANY_SECRET.matcher(reload.body()).find()).isFalse();
    Document doc = Jsoup.parse(reload.body());
    assertThat(doc.text()).contains(SHOWN_ONCE).contains(clientId);
    assertThat(doc.selectFirst("form[action=/developers/apps/" + clientId + "/secret] button")).isNotNull();
    assertThat(dev.cookie(REVEAL_COOKIE)).as("the page clears its cookie").isNull();
    assertThat(appsOfDeveloper()).isEqualTo(before + 1);
    assertThat(authenticates(clientId, secret)).isTrue();
  }

  @Test
  void secretPageWhenCookieReplayedAfterShowingThenNotShownAgain() {
    MoneiTestClient dev = dev();
    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Replay Shop", CALLBACK, "confidential").emptyLogo());
    String page = answer.headers().firstValue("Location").orElseThrow();
    String sealed = dev.cookie(REVEAL_COOKIE);
    assertThat(secretsIn(dev.follow(answer).body())).hasSize(1);

    dev.addCookie(REVEAL_COOKIE, sealed, page);
    HttpResponse<String> replay = dev.get(page);

    assertThat(ANY_SECRET.matcher(replay.body()).find()).as("single use, whatever the browser keeps").isFalse();
    assertThat(Jsoup.parse(replay.body()).text()).contains(SHOWN_ONCE);
  }

  @Test
  void secretPageWhenCookieCopiedToAnotherSessionOfTheSameUserThenNotShownThereButStillToItsOwn() {
    MoneiTestClient dev = dev();
    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Stolen Shop", CALLBACK, "confidential").emptyLogo());
    String page = answer.headers().firstValue("Location").orElseThrow();
    MoneiTestClient thief = new MoneiTestClient(server).signIn(developer);
    thief.addCookie(REVEAL_COOKIE, dev.cookie(REVEAL_COOKIE), page);

    HttpResponse<String> stolen = thief.get(page);

    assertThat(stolen.statusCode()).isEqualTo(200);
    assertThat(ANY_SECRET.matcher(stolen.body()).find()).isFalse();
    assertThat(Jsoup.parse(stolen.body()).text()).contains(SHOWN_ONCE);
    assertThat(secretsIn(dev.follow(answer).body())).as("the session that made it still sees it once").hasSize(1);
  }

  @Test
  void secretPageWhenFollowedTooLateThenNotShown() {
    MoneiTestClient dev = dev();
    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Late Shop", CALLBACK, "confidential").emptyLogo());
    String page = answer.headers().firstValue("Location").orElseThrow();
    String sealed = dev.cookie(REVEAL_COOKIE);
    server.advance(Duration.ofMinutes(11));
    dev.addCookie(REVEAL_COOKIE, sealed, page);

    HttpResponse<String> late = dev.get(page);

    assertThat(late.statusCode()).isEqualTo(200);
    assertThat(ANY_SECRET.matcher(late.body()).find()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"garbage", "a.b", "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.AAAA", "%00%ff"})
  void secretPageWhenCookieMalformedThenShownOncePageNot5xx(String value) {
    MoneiTestClient dev = dev();
    String clientId = register(dev, registration(dev.portalCsrf(), "Odd Shop", CALLBACK, "confidential")
        .emptyLogo()).clientId();
    String page = APPS + "/" + clientId + "/secret";
    dev.addCookie(REVEAL_COOKIE, value, page);

    HttpResponse<String> answer = dev.get(page);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(answer.body()).text()).contains(SHOWN_ONCE);
  }

  @Test
  void secretPageWhenShownThenNoTableHoldsTheSecretInAnyForm() {
    MoneiTestClient dev = dev();
    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Stored Shop", CALLBACK, "confidential").emptyLogo());
    String sealed = dev.cookie(REVEAL_COOKIE);
    List<String> pending = tablesContaining(sealed.substring(0, sealed.indexOf('.')));
    String secret = secretsIn(dev.follow(answer).body()).get(0);

    assertThat(pending).as("the reveal id is stored only as a hash").isEmpty();
    assertThat(tablesContaining(secret)).isEmpty();
    assertThat(tablesContaining(secret.substring(4, 20))).isEmpty();
    assertThat(tablesContaining(sealed.substring(sealed.indexOf('.') + 1, sealed.indexOf('.') + 20))).isEmpty();
  }

  // ---- ending a rotated secret's overlap at once ----

  @Test
  void revokePreviousSecretWhenPressedThenOldSecretRefusedAtOnceNewOneWorksAndAudited() {
    MoneiTestClient dev = dev();
    Registered app = register(dev, registration(dev.portalCsrf(), "Leaked Shop", CALLBACK, "confidential")
        .emptyLogo());
    assertThat(Jsoup.parse(dev.get(APPS + "/" + app.clientId()).body())
        .select("form[action$=/revoke-previous-secret]")).as("nothing to revoke yet").isEmpty();
    String newSecret = rotate(dev, app.clientId());
    TestServer.TestApp withOld = new TestServer.TestApp(app.clientId(), app.secret(), List.of(CALLBACK));
    TestServer.TestApp withNew = new TestServer.TestApp(app.clientId(), newSecret, List.of(CALLBACK));
    assertThat(exchange(withOld).statusCode()).as("the old secret in its overlap").isEqualTo(200);
    Document detail = Jsoup.parse(dev.get(APPS + "/" + app.clientId()).body());
    Element button = detail.selectFirst("form[action=/developers/apps/" + app.clientId()
        + "/revoke-previous-secret] button[type=submit]");
    assertThat(button).isNotNull();

    HttpResponse<String> answer = dev.postForm(APPS + "/" + app.clientId() + "/revoke-previous-secret",
        form(detailCsrf(dev, app.clientId())));

    assertThat(answer.statusCode()).isEqualTo(303);
    HttpResponse<String> back = dev.follow(answer);
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(back.body()).selectFirst("[role=status]").text())
        .contains("previous secret no longer works");
    assertThat(back.body()).doesNotContain("previous secret keeps working");
    HttpResponse<String> old = exchange(withOld);
    assertThat(old.statusCode()).isEqualTo(401);
    assertThat(MoneiTestClient.error(old)).isEqualTo("invalid_client");
    assertThat(exchange(withNew).statusCode()).isEqualTo(200);
    assertThat(secretHashes(app.clientId())).containsExactly(Hashes.sha256(newSecret));
    assertThat(auditEvents("app.previous_secret_revoked", app.clientId())).containsExactly(developer.id());
  }

  @Test
  void revokePreviousSecretWhenAnotherDeveloperPressesThen404AndOldSecretStillWorks() {
    MoneiTestClient dev = dev();
    Registered app = register(dev, registration(dev.portalCsrf(), "Guarded Overlap", CALLBACK, "confidential")
        .emptyLogo());
    String newSecret = rotate(dev, app.clientId());
    MoneiTestClient other = other();
    Registered others = register(other, registration(other.portalCsrf(), "Intruder", CALLBACK, "confidential")
        .emptyLogo());

    HttpResponse<String> answer = other.postForm(APPS + "/" + app.clientId() + "/revoke-previous-secret",
        form(detailCsrf(other, others.clientId())));

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(authenticates(app.clientId(), app.secret())).isTrue();
    assertThat(authenticates(app.clientId(), newSecret)).isTrue();
    assertThat(auditEvents("app.previous_secret_revoked", app.clientId())).isEmpty();
  }

  @Test
  void revokePreviousSecretWhenAppIsPublicThen400() {
    MoneiTestClient dev = dev();
    String clientId = registerPublic(dev, "Public Overlap");

    HttpResponse<String> answer = dev.postForm(APPS + "/" + clientId + "/revoke-previous-secret",
        form(detailCsrf(dev, clientId)));

    assertThat(answer.statusCode()).isEqualTo(400);
  }

  // ---- resource servers ----

  @Test
  void registerWhenResourceServerTickedThenShownAsOneAndIntrospectsOtherAppsAccessTokens() {
    MoneiTestClient dev = dev();
    Document form = Jsoup.parse(dev.get(APPS).body());
    Element box = form.selectFirst("form[action=/developers/apps] input[type=checkbox][name=resource_server]");
    assertThat(box).isNotNull();
    assertThat(box.val()).isEqualTo("true");
    assertThat(box.hasAttr("checked")).isFalse();
    Registered rs = register(dev, registration(dev.portalCsrf(), "Ledger API", CALLBACK, "confidential")
        .field("resource_server", "true").emptyLogo());
    Registered plain = register(dev, registration(dev.portalCsrf(), "Plain Shop", CALLBACK, "confidential")
        .emptyLogo());
    assertThat(Jsoup.parse(dev.get(APPS + "/" + rs.clientId()).body()).select(".badge").eachText())
        .contains("Resource server");
    assertThat(Jsoup.parse(dev.get(APPS + "/" + plain.clientId()).body()).select(".badge").eachText())
        .doesNotContain("Resource server");
    TestServer.TestApp other = server.app().name("Some App").create();
    String access = consenter().grant(other, "profile:read").access();

    MoneiTestClient channel = new MoneiTestClient(server);
    HttpResponse<String> byRs = channel.introspect(new TestServer.TestApp(rs.clientId(), rs.secret(),
        List.of(CALLBACK)), access);
    HttpResponse<String> byPlain = channel.introspect(new TestServer.TestApp(plain.clientId(), plain.secret(),
        List.of(CALLBACK)), access);

    assertThat(MoneiTestClient.json(byRs).get("active").asBoolean()).isTrue();
    assertThat(MoneiTestClient.json(byRs).get("client_id").asText()).isEqualTo(other.clientId());
    assertThat(byPlain.body()).isEqualTo("{\"active\":false}");
  }

  @Test
  void registerWhenPublicAndResourceServerThen400AndNothingCreated() {
    MoneiTestClient dev = dev();
    long before = appsOfDeveloper();

    HttpResponse<String> page = dev.postMultipart(APPS, registration(dev.portalCsrf(), "Public API", CALLBACK,
        "public").field("resource_server", "true").emptyLogo());

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(Jsoup.parse(page.body()).selectFirst("[role=alert]").text()).contains("confidential");
    assertThat(Jsoup.parse(page.body()).selectFirst("input[name=resource_server]").hasAttr("checked")).isTrue();
    assertThat(appsOfDeveloper()).isEqualTo(before);
  }

  @Test
  void rotationOverlapWhenEnvironmentGivesSecondsThenUsedAndNegativeRefused() {
    Config base = Config.defaults(0);

    assertThat(base.secretRotationOverlap()).isEqualTo(Duration.ofHours(24));
    assertThat(Config.withEnvironment(base, Map.of("MONEI_SECRET_ROTATION_OVERLAP", "3600"))
        .secretRotationOverlap()).isEqualTo(Duration.ofHours(1));
    assertThat(Config.withEnvironment(base, Map.of("MONEI_SECRET_ROTATION_OVERLAP", "0"))
        .secretRotationOverlap()).isZero();
    assertThatThrownBy(() -> Config.withEnvironment(base,
        Map.of("MONEI_SECRET_ROTATION_OVERLAP", "-1"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("MONEI_SECRET_ROTATION_OVERLAP");
  }

  // ---- deletion ----

  @Test
  void deleteWhenConfirmedThenTokensAnswer401AppUnknownAndEveryRowGone() {
    MoneiTestClient dev = dev();
    Registered registered = register(dev, registration(dev.portalCsrf(), "Doomed Shop", CALLBACK, "confidential")
        .file("logo", "logo.png", "image/png", png(32, 32)));
    String clientId = registered.clientId();
    TestServer.TestApp app = new TestServer.TestApp(clientId, registered.secret(), List.of(CALLBACK));
    MoneiTestClient flow = consenter();
    JsonNode tokens = new MoneiTestClient(server).exchangeOk(app,
        flow.approve(app, "profile:read", List.of("profile:read")));
    flow.approve(app, "profile:read", List.of("profile:read"), "prompt", "consent");   // a code left unused
    flow.openConsent(flow.authorizeUrl(app, "profile:read wallet:read", "pending"));   // a pending request
    assertThat(rowsOf(clientId)).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());

    HttpResponse<String> answer = dev.postForm(APPS + "/" + clientId + "/delete",
        form(detailCsrf(dev, clientId), "confirm", "yes"));

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(answer.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith(APPS));
    MoneiTestClient client = new MoneiTestClient(server);
    HttpResponse<String> api = client.api("/api/v1/profile/me", tokens.get("access_token").asText());
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).contains("invalid_token"));
    HttpResponse<String> refresh = client.tokenPostForm(Map.of("grant_type", "refresh_token",
        "refresh_token", tokens.get("refresh_token").asText(), "client_id", clientId,
        "client_secret", registered.secret()));
    assertThat(refresh.statusCode()).isEqualTo(401);
    assertThat(MoneiTestClient.json(refresh).get("error").asText()).isEqualTo("invalid_client");
    HttpResponse<String> authorize = flow.get(flow.authorizeUrl(app, "profile:read", "after"));
    assertThat(authorize.statusCode()).isEqualTo(400);
    assertThat(authorize.headers().firstValue("Location")).isEmpty();
    HttpResponse<String> list = dev.get(answer.headers().firstValue("Location").orElseThrow());
    assertThat(list.body()).doesNotContain(clientId).doesNotContain("Doomed Shop");
    assertThat(Jsoup.parse(list.body()).selectFirst("[role=status]").text()).contains("deleted");
    assertThat(dev.get(APPS + "/" + clientId).statusCode()).isEqualTo(404);
    assertThat(getBytes("/apps/" + clientId + "/logo").statusCode()).isEqualTo(404);
    assertThat(rowsOf(clientId)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
    assertThat(auditEvents("app.deleted", clientId)).containsExactly(developer.id());
  }

  @Test
  void deleteWhenNotConfirmedThen400AndAppKept() {
    MoneiTestClient dev = dev();
    Registered app = register(dev, registration(dev.portalCsrf(), "Kept Shop", CALLBACK, "confidential").emptyLogo());

    HttpResponse<String> page = dev.postForm(APPS + "/" + app.clientId() + "/delete",
        form(detailCsrf(dev, app.clientId())));

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(Jsoup.parse(page.body()).selectFirst("[role=alert]").text()).contains("confirm");
    assertThat(count("SELECT COUNT(*) AS n FROM apps WHERE client_id = '" + app.clientId() + "'")).isEqualTo(1);
    assertThat(authenticates(app.clientId(), app.secret())).isTrue();
  }

  // ---- ownership ----

  @Test
  void detailAndEveryPostWhenAnotherUsersAppThen404AndNothingChanges() {
    MoneiTestClient owner = dev();
    Registered app = register(owner, registration(owner.portalCsrf(), "Private Shop", CALLBACK, "confidential")
        .emptyLogo());
    MoneiTestClient other = other();
    Registered others = register(other, registration(other.portalCsrf(), "Other Shop", CALLBACK, "confidential")
        .emptyLogo());
    // The intruder's own, valid token: only ownership can stop these requests.
    String csrf = detailCsrf(other, others.clientId());
    String path = APPS + "/" + app.clientId();

    HttpResponse<String> detail = other.get(path);
    HttpResponse<String> unknown = other.get(APPS + "/mc_doesNotExist000000000000");
    assertThat(detail.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Jsoup.parse(detail.body()).text()).isEqualTo(Jsoup.parse(unknown.body()).text());
    assertThat(detail.body()).doesNotContain("Private Shop");
    assertThat(other.postForm(path + "/redirect-uris", form(csrf, "redirect_uris", "https://evil.example/cb"))
        .statusCode()).isEqualTo(404);
    assertThat(other.postForm(path + "/secret", form(csrf)).statusCode()).isEqualTo(404);
    assertThat(other.get(path + "/secret").statusCode()).isEqualTo(404);
    assertThat(other.postForm(path + "/revoke-previous-secret", form(csrf)).statusCode()).isEqualTo(404);
    assertThat(other.postForm(path + "/delete", form(csrf, "confirm", "yes")).statusCode()).isEqualTo(404);

    HttpResponse<String> list = other.get(APPS);
    assertThat(list.body()).contains(others.clientId()).doesNotContain(app.clientId()).doesNotContain("Private Shop");
    assertThat(redirectUris(app.clientId())).containsExactly(CALLBACK);
    assertThat(secretHashes(app.clientId())).containsExactly(Hashes.sha256(app.secret()));
    assertThat(owner.get(path).statusCode()).isEqualTo(200);
  }

  @Test
  void listWhenAppsRegisteredByOperatorThenNotShownToAnyone() {
    TestServer.TestApp operatorApp = server.app().name("Operator App").create();
    MoneiTestClient dev = dev();

    assertThat(dev.get(APPS).body()).doesNotContain(operatorApp.clientId());
    assertThat(dev.get(APPS + "/" + operatorApp.clientId()).statusCode()).isEqualTo(404);
  }

  // ---- CSRF and anonymous access ----

  static Stream<Arguments> badCsrf() {
    return Stream.of(Arguments.of(Named.of("missing", (String) null)), Arguments.of(Named.of("empty", "")),
        Arguments.of(Named.of("wrong", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
        Arguments.of(Named.of("another session's", "OTHER")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCsrf")
  void registerWhenCsrfTokenBadThen403AndNothingCreated(String csrf) {
    MoneiTestClient dev = dev();
    dev.portalCsrf();
    long before = appsOfDeveloper();

    HttpResponse<String> answer = dev.postMultipart(APPS,
        registration(csrfOrOther(csrf), "Forged Shop", CALLBACK, "confidential").emptyLogo());

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(ANY_SECRET.matcher(answer.body()).find()).isFalse();
    assertThat(appsOfDeveloper()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCsrf")
  void appPostsWhenCsrfTokenBadThen403AndNothingChanges(String csrf) {
    MoneiTestClient dev = dev();
    Registered app = register(dev,
        registration(dev.portalCsrf(), "Guarded Shop", CALLBACK, "confidential").emptyLogo());
    String path = APPS + "/" + app.clientId();
    String token = csrfOrOther(csrf);

    assertThat(dev.postForm(path + "/redirect-uris", form(token, "redirect_uris", "https://evil.example/cb"))
        .statusCode()).isEqualTo(403);
    HttpResponse<String> rotate = dev.postForm(path + "/secret", form(token));
    assertThat(rotate.statusCode()).isEqualTo(403);
    assertThat(ANY_SECRET.matcher(rotate.body()).find()).isFalse();
    assertThat(dev.postForm(path + "/revoke-previous-secret", form(token)).statusCode()).isEqualTo(403);
    assertThat(dev.postForm(path + "/delete", form(token, "confirm", "yes")).statusCode()).isEqualTo(403);

    assertThat(redirectUris(app.clientId())).containsExactly(CALLBACK);
    assertThat(secretHashes(app.clientId())).containsExactly(Hashes.sha256(app.secret()));
  }

  @Test
  void pagesWhenAnonymousThenRedirectToLoginAndPostsRefused() {
    MoneiTestClient dev = dev();
    Registered app = register(dev, registration(dev.portalCsrf(), "Seen Shop", CALLBACK, "confidential").emptyLogo());
    MoneiTestClient anonymous = new MoneiTestClient(server);

    // A new session could not see a secret anyway, so the secret page sends back to the app's page.
    Map<String, String> returns = Map.of(APPS, APPS, APPS + "/" + app.clientId(), APPS + "/" + app.clientId(),
        APPS + "/" + app.clientId() + "/secret", APPS + "/" + app.clientId());
    for (Map.Entry<String, String> page : returns.entrySet()) {
      HttpResponse<String> answer = anonymous.get(page.getKey());
      assertThat(answer.statusCode()).as(page.getKey()).isEqualTo(302);
      String location = answer.headers().firstValue("Location").orElseThrow();
      assertThat(location).startsWith("/login?");
      assertThat(URLDecoder.decode(MoneiTestClient.query(location).get("return_to"), StandardCharsets.UTF_8))
          .isEqualTo(page.getValue());
    }
    assertThat(anonymous.postMultipart(APPS, registration("x", "Anon", CALLBACK, "public").emptyLogo())
        .statusCode()).isEqualTo(403);
    assertThat(anonymous.postForm(APPS + "/" + app.clientId() + "/delete", form("x", "confirm", "yes"))
        .statusCode()).isEqualTo(403);
    assertThat(count("SELECT COUNT(*) AS n FROM apps WHERE client_id = '" + app.clientId() + "'")).isEqualTo(1);
  }

  @Test
  void loginWhenReturnToIsPortalThenLandsOnPortal() {
    User user = developer;
    MoneiTestClient flow = new MoneiTestClient(server);

    HttpResponse<String> answer = flow.submitLogin(user.email(), TestServer.PASSWORD, APPS);

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(answer.headers().firstValue("Location")).hasValue(APPS);
    assertThat(flow.get(server.url() + APPS).statusCode()).isEqualTo(200);
  }

  // ---- page rules ----

  @Test
  void pagesWhenRenderedThenSecurityHeadersPostFormsWithCsrfAndNothingFromOtherOrigins() {
    MoneiTestClient dev = dev();
    HttpResponse<String> secretPage = dev.follow(dev.postMultipart(APPS,
        registration(dev.portalCsrf(), "Header Shop", CALLBACK, "confidential")
            .file("logo", "l.png", "image/png", png(8, 8))));
    String clientId = Jsoup.parse(secretPage.body()).selectFirst("code.client-id").text();
    HttpResponse<String> shownOnce = dev.get(APPS + "/" + clientId + "/secret");

    for (HttpResponse<String> page : List.of(dev.get(APPS), dev.get(APPS + "/" + clientId), secretPage, shownOnce)) {
      assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
          v -> assertThat(v).contains("frame-ancestors 'none'"));
      assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
      Document doc = Jsoup.parse(page.body());
      for (Element script : doc.select("script")) {
        assertThat(script.attr("src")).as("only same-origin script files").isEqualTo("/static/copy.js");
        assertThat(script.data()).as("no inline script").isBlank();
      }
      assertThat(doc.select("[onclick], [onload], [onerror]")).isEmpty();
      assertThat(doc.selectFirst("meta[name=viewport]")).isNotNull();
      for (Element e : doc.select("[src], link[href], form[action]")) {
        String url = e.hasAttr("src") ? e.attr("src") : e.hasAttr("action") ? e.attr("action") : e.attr("href");
        assertThat(url).as(e.outerHtml()).startsWith("/").doesNotStartWith("//");
      }
      for (Element form : doc.select("form")) {
        assertThat(form.attr("method")).isEqualToIgnoringCase("post");
        assertThat(form.selectFirst("input[type=hidden][name=csrf_token]").val()).isNotBlank();
      }
    }
    Document detail = Jsoup.parse(dev.get(APPS + "/" + clientId).body());
    assertThat(detail.select("form[action$=/redirect-uris], form[action$=/secret], form[action$=/delete]"))
        .hasSize(3);
    assertThat(detail.selectFirst("form[action$=/delete] input[type=checkbox][name=confirm]")).isNotNull();
  }

  @Test
  void homeWhenSignedInThenLinksToDeveloperPortal() {
    MoneiTestClient dev = dev();

    Document home = Jsoup.parse(dev.get("/").body());

    assertThat(home.select("a[href=/developers/apps]").text()).contains("Developers");
  }

  // ---- helpers ----

  /** One invalid registration: the fields as typed and an optional logo file. */
  record Form(String name, String redirectUris, String type, String logoName, String logoType, byte[] logo) {
    @Override
    public String toString() {
      return name;
    }
  }

  record Registered(String clientId, String secret) {}

  private static MoneiTestClient.Multipart registration(String csrf, String name, String redirectUris, String type) {
    return new MoneiTestClient.Multipart().field("csrf_token", csrf).field("name", name)
        .field("redirect_uris", redirectUris).field("type", type);
  }

  /** Registers a confidential app and reads its client id and secret off the page shown once. */
  private static Registered register(MoneiTestClient dev, MoneiTestClient.Multipart body) {
    HttpResponse<String> answer = dev.postMultipart(APPS, body);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
    HttpResponse<String> page = dev.follow(answer);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    List<String> secrets = secretsIn(page.body());
    assertThat(secrets).hasSize(1);
    return new Registered(Jsoup.parse(page.body()).selectFirst("code.client-id").text(), secrets.get(0));
  }

  private static String registerPublic(MoneiTestClient dev, String name) {
    HttpResponse<String> answer = dev.postMultipart(APPS, registration(dev.portalCsrf(), name, CALLBACK, "public")
        .emptyLogo());
    assertThat(answer.statusCode()).isEqualTo(303);
    String location = answer.headers().firstValue("Location").orElseThrow();
    return location.substring((APPS + "/").length(), location.indexOf('?'));
  }

  private static String rotate(MoneiTestClient dev, String clientId) {
    HttpResponse<String> page = dev.follow(dev.postForm(APPS + "/" + clientId + "/secret",
        form(detailCsrf(dev, clientId))));
    assertThat(page.statusCode()).isEqualTo(200);
    return secretsIn(page.body()).get(0);
  }

  private static String detailCsrf(MoneiTestClient dev, String clientId) {
    HttpResponse<String> page = dev.get(APPS + "/" + clientId);
    assertThat(page.statusCode()).isEqualTo(200);
    return Jsoup.parse(page.body()).selectFirst("input[name=csrf_token]").val();
  }

  /** "OTHER" stands for a valid token of another signed-in session. */
  private static String csrfOrOther(String csrf) {
    return "OTHER".equals(csrf) ? other().portalCsrf() : csrf;
  }

  private static Map<String, String> form(String csrf, String... pairs) {
    Map<String, String> form = new LinkedHashMap<>();
    if (csrf != null) form.put("csrf_token", csrf);
    for (int i = 0; i + 1 < pairs.length; i += 2) form.put(pairs[i], pairs[i + 1]);
    return form;
  }

  private static List<String> secretsIn(String html) {
    Matcher m = SECRET.matcher(html);
    List<String> found = new java.util.ArrayList<>();
    while (m.find()) if (!found.contains(m.group())) found.add(m.group());
    return found;
  }

  /** A user approves and the app exchanges the code with its credentials. */
  private static HttpResponse<String> exchange(TestServer.TestApp app) {
    String code = consenter().approve(app, "profile:read", List.of("profile:read"), "prompt", "consent");
    return new MoneiTestClient(server).exchange(app, code);
  }

  /** Whether the token endpoints accept these client credentials (introspection of a dummy token). */
  private static boolean authenticates(String clientId, String secret) {
    HttpResponse<String> answer = new MoneiTestClient().postForm(server.url() + "/api/v1/connect/introspect",
        Map.of("token", "mct_unknown"), "Authorization", MoneiTestClient.basic(clientId, secret));
    if (answer.statusCode() == 401) {
      assertThat(MoneiTestClient.json(answer).get("error").asText()).isEqualTo("invalid_client");
      return false;
    }
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return true;
  }

  private static HttpResponse<byte[]> getBytes(String path) {
    try {
      return java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- database checks (what is stored, not how the pages look) ----

  private static long count(String sql) {
    return server.services().db.read(sql, rs -> rs.next() ? rs.getLong("n") : 0L);
  }

  private static List<String> secretHashes(String clientId) {
    return server.services().db.list("SELECT secret_hash FROM app_secrets WHERE client_id = ?",
        rs -> rs.getString("secret_hash"), clientId);
  }

  private static Long secretExpiry(String clientId, String secret) {
    return server.services().db.read("SELECT expires_at FROM app_secrets WHERE client_id = ? AND secret_hash = ?",
        rs -> {
          if (!rs.next()) return null;
          long at = rs.getLong("expires_at");
          return rs.wasNull() ? null : at;
        }, clientId, Hashes.sha256(secret));
  }

  /** The tables with a text value containing {@code needle}, in any row or column. */
  private static List<String> tablesContaining(String needle) {
    return server.services().db.withConnection(c -> {
      List<String> tables = new java.util.ArrayList<>();
      try (java.sql.ResultSet t = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (t.next()) tables.add(t.getString("TABLE_NAME"));
      }
      List<String> found = new java.util.ArrayList<>();
      for (String table : tables) {
        try (java.sql.Statement st = c.createStatement();
            java.sql.ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              Object value = rs.getObject(i);
              if (value instanceof String text && text.contains(needle) && !found.contains(table)) found.add(table);
            }
          }
        }
      }
      return found;
    });
  }

  private static List<String> redirectUris(String clientId) {
    return server.services().db.list("SELECT uri FROM app_redirect_uris WHERE client_id = ? ORDER BY position",
        rs -> rs.getString("uri"), clientId);
  }

  private static List<String> auditEvents(String event, String clientId) {
    return server.services().db.list("SELECT user_id FROM audit_events WHERE event = ? AND client_id = ?",
        rs -> rs.getString("user_id"), event, clientId);
  }

  /** Rows that belong to the app in every table that references it (directly or through a family). */
  private static Map<String, Long> rowsOf(String clientId) {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String table : List.of("apps", "app_secrets", "app_redirect_uris", "app_logos", "consents",
        "authorization_requests", "authorization_codes", "token_families", "access_tokens", "refresh_tokens")) {
      rows.put(table, server.services().db.read("SELECT COUNT(*) AS n FROM " + table + " WHERE client_id = ?",
          rs -> rs.next() ? rs.getLong("n") : 0L, clientId));
    }
    return rows;
  }

  // ---- images ----

  static byte[] png(int width, int height) {
    return image(width, height, "png", BufferedImage.TYPE_INT_ARGB);
  }

  static byte[] image(int width, int height, String format, int type) {
    BufferedImage img = new BufferedImage(width, height, type);
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) img.setRGB(x, y, 0xff3b5bfd ^ ((x * 7 + y * 13) & 0xff));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no writer for " + format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A real PNG of at least {@code minBytes}: random pixels do not compress. */
  static byte[] noisyPng(int minBytes) {
    Random random = new Random(42);
    int side = 64;
    while (true) {
      BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
      for (int x = 0; x < side; x++) for (int y = 0; y < side; y++) img.setRGB(x, y, random.nextInt());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        ImageIO.write(img, "png", out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (out.size() >= minBytes) return out.toByteArray();
      side *= 2;
    }
  }

  private static String normalizeNewlines(String s) {
    return s.replace("\r\n", "\n").strip();
  }
}
