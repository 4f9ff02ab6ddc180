package com.monei.connect.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.Config;
import com.monei.connect.server.ServerApp;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.token.TokenFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 3: the operator commands, run in-process against a SQLite file, with --json output. */
class CommandLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "operator-chosen-password";
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @TempDir
  static Path dir;
  static String db;

  /** What one run of the command line printed and returned. */
  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON (exit " + exit + ", err " + err + "): " + out, e);
      }
    }
  }

  @BeforeAll
  static void database() {
    db = "jdbc:sqlite:" + dir.resolve("x.db");
  }

  // ---- users create

  @Test
  void usersCreateWhenPasswordOnStdinThenPrintsIdEmailAndName() {
    String email = uniqueEmail();
    Run run = cli(PASSWORD + "\n", "users", "create", "--email", email, "--name", "Ada Operator",
        "--password-stdin", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode user = run.json();
    assertThat(user.get("id").asText()).isNotBlank();
    assertThat(user.get("email").asText()).isEqualTo(email);
    assertThat(user.get("name").asText()).isEqualTo("Ada Operator");
    assertThat(run.out()).doesNotContain(PASSWORD);
  }

  @Test
  void usersCreateWhenEmailAlreadyExistsThenNonZeroExitAndError() {
    String email = createUser();

    Run again = cli(PASSWORD + "\n", "users", "create", "--email", email, "--name", "Twin", "--password-stdin",
        "--json");

    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).isNotBlank();
  }

  @Test
  void usersCreateWhenEmailDiffersOnlyInCaseThenNonZeroExit() {
    String email = createUser();

    Run again = cli(PASSWORD + "\n", "users", "create", "--email", email.toUpperCase(), "--name", "Twin",
        "--password-stdin", "--json");

    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).isNotBlank();
  }

  @Test
  void usersCreateWhenPasswordTooShortThenNonZeroExitAndNoUser() {
    String email = uniqueEmail();

    Run run = cli("short\n", "users", "create", "--email", email, "--name", "Shorty", "--password-stdin", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).isNotBlank();
    // the email is still free: nothing was created
    assertThat(cli(PASSWORD + "\n", "users", "create", "--email", email, "--name", "Shorty", "--password-stdin",
        "--json").exit()).isZero();
  }

  @Test
  void usersCreateWhenStdinEmptyThenNonZeroExit() {
    Run run = cli("", "users", "create", "--email", uniqueEmail(), "--name", "Nobody", "--password-stdin", "--json");

    assertThat(run.exit()).isNotZero();
  }

  // ---- apps create

  @Test
  void appsCreateWhenConfidentialThenClientIdSecretAndBothRedirectUris() {
    Run run = cli("", "apps", "create", "--name", "Shop", "--redirect-uri", "https://shop.example/cb",
        "--redirect-uri", "http://localhost:3000/cb", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode app = run.json();
    assertThat(app.get("client_id").asText()).startsWith("mc_");
    assertThat(app.get("client_secret").asText()).matches("mcs_[0-9A-Za-z]{49}");
    assertThat(app.get("redirect_uris")).extracting(JsonNode::asText)
        .containsExactly("https://shop.example/cb", "http://localhost:3000/cb");
  }

  @Test
  void appsCreateWhenCalledTwiceThenDistinctClientIdsAndSecrets() {
    JsonNode a = createApp("--name", "A", "--redirect-uri", "https://a.example/cb");
    JsonNode b = createApp("--name", "B", "--redirect-uri", "https://b.example/cb");

    assertThat(a.get("client_id").asText()).isNotEqualTo(b.get("client_id").asText());
    assertThat(a.get("client_secret").asText()).isNotEqualTo(b.get("client_secret").asText());
  }

  @Test
  void appsCreateWhenPublicThenNoClientSecret() {
    Run run = cli("", "apps", "create", "--name", "Mobile", "--redirect-uri", "http://127.0.0.1/cb", "--public",
        "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode app = run.json();
    assertThat(app.get("client_id").asText()).startsWith("mc_");
    assertThat(app.has("client_secret")).isFalse();
    assertThat(run.out()).doesNotContain("mcs_");
  }

  @Test
  void appsCreateWhenOwnerKnownThenExitZero() {
    String email = createUser();

    Run run = cli("", "apps", "create", "--name", "Owned", "--redirect-uri", "https://owned.example/cb",
        "--owner", email, "--json");

    assertThat(run.exit()).as(run.err()).isZero();
  }

  @Test
  void appsCreateWhenOwnerUnknownThenNonZeroExit() {
    Run run = cli("", "apps", "create", "--name", "Orphan", "--redirect-uri", "https://orphan.example/cb",
        "--owner", "nobody-" + COUNTER.incrementAndGet() + "@monei.test", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).isNotBlank();
    assertThat(run.out()).doesNotContain("mc_");
  }

  @Test
  void appsCreateWhenHttpRedirectUriNotLocalhostThenNonZeroExit() {
    Run run = cli("", "apps", "create", "--name", "Plain", "--redirect-uri", "http://example.com/cb", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).isNotBlank();
  }

  @Test
  void appsCreateWhenOneOfTwoRedirectUrisInvalidThenNonZeroExit() {
    Run run = cli("", "apps", "create", "--name", "Half", "--redirect-uri", "https://ok.example/cb",
        "--redirect-uri", "https://ok.example/cb#frag", "--json");

    assertThat(run.exit()).isNotZero();
  }

  @Test
  void appsCreateWhenLogoIsSmallPngThenExitZero() throws IOException {
    Path logo = dir.resolve("logo-" + COUNTER.incrementAndGet() + ".png");
    Files.write(logo, png());

    Run run = cli("", "apps", "create", "--name", "With Logo", "--redirect-uri", "https://logo.example/cb",
        "--logo-file", logo.toString(), "--json");

    assertThat(run.exit()).as(run.err()).isZero();
  }

  @Test
  void appsCreateWhenLogoIsTextRenamedPngThenNonZeroExit() throws IOException {
    Path logo = dir.resolve("fake-" + COUNTER.incrementAndGet() + ".png");
    Files.writeString(logo, "definitely not an image\n");

    Run run = cli("", "apps", "create", "--name", "Fake Logo", "--redirect-uri", "https://fake.example/cb",
        "--logo-file", logo.toString(), "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).isNotBlank();
  }

  @Test
  void appsCreateWhenLogoLargerThan100KbThenNonZeroExit() throws IOException {
    Path logo = dir.resolve("big-" + COUNTER.incrementAndGet() + ".png");
    // a valid PNG followed by padding: only its size is wrong
    Files.write(logo, Arrays.copyOf(png(), 100 * 1024 + 1));

    Run run = cli("", "apps", "create", "--name", "Big Logo", "--redirect-uri", "https://big.example/cb",
        "--logo-file", logo.toString(), "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).isNotBlank();
  }

  @Test
  void appsCreateWhenLogoFileMissingThenNonZeroExit() {
    Run run = cli("", "apps", "create", "--name", "No File", "--redirect-uri", "https://nofile.example/cb",
        "--logo-file", dir.resolve("does-not-exist.png").toString(), "--json");

    assertThat(run.exit()).isNotZero();
  }

  // ---- wallet credit

  @Test
  void walletCreditWhenValidAmountsThenBalanceAccumulates() {
    String email = createUser();

    Run first = cli("", "wallet", "credit", "--email", email, "--currency", "NGN", "--amount", "1500.00", "--json");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.json().get("balance").asText()).isEqualTo("1500.00");

    Run second = cli("", "wallet", "credit", "--email", email, "--currency", "NGN", "--amount", "0.50", "--json");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.json().get("balance").asText()).isEqualTo("1500.50");
    assertThat(second.json().get("amount").asText()).isEqualTo("0.50");
    assertThat(second.json().get("currency").asText()).isEqualTo("NGN");
  }

  static Stream<String> badAmounts() {
    return Stream.of("1e5", "-1", "0", "0.00", "1.001", "abc", "", "1,000.00", "NaN", " 1", "+1", "01", ".5", "1.",
        "99999999999999999999");
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("badAmounts")
  void walletCreditWhenAmountMalformedThenNonZeroExitAndNothingCredited(String amount) {
    String email = createUser();
    credit(email, "NGN", "1.00");

    Run bad = cli("", "wallet", "credit", "--email", email, "--currency", "NGN", "--amount", amount, "--json");

    assertThat(bad.exit()).as("out %s", bad.out()).isNotZero();
    assertThat(bad.err()).isNotBlank();
    assertThat(credit(email, "NGN", "0.01").get("balance").asText()).isEqualTo("1.01");
  }

  @Test
  void walletCreditWhenCurrencyUnknownThenNonZeroExitAndNothingCredited() {
    String email = createUser();

    Run bad = cli("", "wallet", "credit", "--email", email, "--currency", "XXX", "--amount", "10.00", "--json");

    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).isNotBlank();
    assertThat(credit(email, "NGN", "0.01").get("balance").asText()).isEqualTo("0.01");
  }

  @Test
  void walletCreditWhenEmailUnknownThenNonZeroExit() {
    Run bad = cli("", "wallet", "credit", "--email", "ghost-" + COUNTER.incrementAndGet() + "@monei.test",
        "--currency", "NGN", "--amount", "10.00", "--json");

    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).isNotBlank();
  }

  @Test
  void walletCreditWhenZeroDecimalCurrencyGetsFractionThenNonZeroExit() {
    String email = createUser();

    Run bad = cli("", "wallet", "credit", "--email", email, "--currency", "JPY", "--amount", "1.5", "--json");
    assertThat(bad.exit()).isNotZero();

    Run ok = cli("", "wallet", "credit", "--email", email, "--currency", "JPY", "--amount", "100", "--json");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.json().get("balance").asText()).isEqualTo("100");
  }

  // ---- only hashes in the database

  @Test
  void appsCreateWhenConfidentialThenDatabaseHoldsOnlyTheSecretsSha256() throws Exception {
    JsonNode app = createApp("--name", "Hashed", "--redirect-uri", "https://hashed.example/cb");
    String clientId = app.get("client_id").asText();
    String secret = app.get("client_secret").asText();

    try (Connection c = DriverManager.getConnection(db)) {
      List<List<String>> rows = rows(c, "SELECT * FROM app_secrets");
      assertThat(rows).isNotEmpty();
      for (List<String> row : rows) {
        for (String value : row) {
          assertThat(value).as("app_secrets column").doesNotContain(secret).doesNotContain(secret.substring(4));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT secret_hash FROM app_secrets WHERE client_id = ?")) {
        ps.setString(1, clientId);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo(sha256Hex(secret));
          assertThat(rs.next()).isFalse();
        }
      }
      assertThat(tablesContaining(c, secret)).as("tables holding the clear secret").isEmpty();
    }
  }

  @Test
  void usersCreateWhenCreatedThenDatabaseHoldsOnlyAnArgon2idHash() throws Exception {
    String password = "clear-text-" + COUNTER.incrementAndGet() + "-password";
    String email = uniqueEmail();
    Run run = cli(password + "\n", "users", "create", "--email", email, "--name", "Hash Me", "--password-stdin",
        "--json");
    assertThat(run.exit()).as(run.err()).isZero();

    try (Connection c = DriverManager.getConnection(db);
        PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM users WHERE email = ?")) {
      ps.setString(1, email);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).startsWith("$argon2id$").doesNotContain(password);
      }
      assertThat(tablesContaining(c, password)).as("tables holding the clear password").isEmpty();
    }
  }

  // ---- apps create --resource-server, apps revoke-previous-secret

  @Test
  void appsCreateWhenResourceServerThenJsonSaysSoAndOrdinaryAppsAreNot() {
    JsonNode rs = createApp("--name", "Ledger API", "--redirect-uri", "https://api.example/cb", "--resource-server");
    JsonNode plain = createApp("--name", "Plain", "--redirect-uri", "https://plain.example/cb");

    assertThat(rs.get("resource_server").asBoolean()).isTrue();
    assertThat(plain.get("resource_server").isBoolean()).isTrue();
    assertThat(plain.get("resource_server").asBoolean()).isFalse();
  }

  @Test
  void appsCreateWhenPublicResourceServerThenNonZeroExitAndNothingCreated() {
    Run run = cli("", "apps", "create", "--name", "Public RS", "--redirect-uri", "http://127.0.0.1/cb", "--public",
        "--resource-server", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("confidential");
    assertThat(run.out()).doesNotContain("mc_");
  }

  @Test
  void appsRevokePreviousSecretWhenClientIdUnknownThenOneLineErrorAndNonZeroExit() {
    Run run = cli("", "apps", "revoke-previous-secret", "--client-id", "mc_nosuchapp", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err().strip()).isEqualTo("error: no app with client_id mc_nosuchapp");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void appsRevokePreviousSecretWhenRotatedThenOldSecretRefusedAtOnceAndNewOneWorks() throws Exception {
    String email = createUser();
    JsonNode created = createApp("--name", "Leaky", "--redirect-uri", "https://leaky.example/cb", "--owner", email);
    String clientId = created.get("client_id").asText();
    String oldSecret = created.get("client_secret").asText();

    try (ServerApp server = ServerApp.create(Config.defaults(0).withDb(db), Clock.systemUTC()).start()) {
      String ownerId = server.services().accounts.findByEmail(email).orElseThrow().id();
      String newSecret = server.services().registration.rotateSecret(clientId, ownerId).orElseThrow().clientSecret();
      MoneiTestClient channel = new MoneiTestClient("http://localhost:" + server.port());
      TestServer.TestApp withOld = new TestServer.TestApp(clientId, oldSecret, List.of("https://leaky.example/cb"));
      TestServer.TestApp withNew = new TestServer.TestApp(clientId, newSecret, List.of("https://leaky.example/cb"));
      String unknownToken = TokenFormat.generate(TokenFormat.ACCESS_TOKEN);
      assertThat(channel.introspect(withOld, unknownToken).statusCode()).as("old secret in its overlap").isEqualTo(200);

      Run run = cli("", "apps", "revoke-previous-secret", "--client-id", clientId, "--json");

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.json().get("client_id").asText()).isEqualTo(clientId);
      assertThat(run.json().get("previous_secrets_revoked").asInt()).isEqualTo(1);
      HttpResponse<String> old = channel.introspect(withOld, unknownToken);
      assertThat(old.statusCode()).isEqualTo(401);
      assertThat(MoneiTestClient.error(old)).isEqualTo("invalid_client");
      assertThat(channel.introspect(withNew, unknownToken).statusCode()).isEqualTo(200);
      assertThat(server.services().db.list("SELECT user_id, detail FROM audit_events WHERE event = ? AND client_id = ?",
          row -> row.getString("detail"), "app.previous_secret_revoked", clientId))
          .containsExactly("1 previous secrets revoked by an operator");
    }

    Run again = cli("", "apps", "revoke-previous-secret", "--client-id", clientId);
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("No previous secret");
  }

  // ---- apps create --website --privacy-url, apps verify

  @Test
  void appsVerifyWhenRunThenConsentScreenStopsSayingUnverifiedAndShowsTheLinks() throws Exception {
    String email = createUser();
    JsonNode created = createApp("--name", "Linked", "--redirect-uri", "https://linked.example/cb",
        "--website", "https://linked.example/?a=1&b='x'", "--privacy-url", "https://linked.example/privacy");
    String clientId = created.get("client_id").asText();
    assertThat(created.get("website").asText()).isEqualTo("https://linked.example/?a=1&b='x'");
    assertThat(created.get("privacy_url").asText()).isEqualTo("https://linked.example/privacy");
    TestServer.TestApp app = new TestServer.TestApp(clientId, null, List.of("https://linked.example/cb"));

    try (ServerApp server = ServerApp.create(Config.defaults(0).withDb(db), Clock.systemUTC()).start()) {
      MoneiTestClient browser = new MoneiTestClient("http://localhost:" + server.port()).signIn(email, PASSWORD);
      var before = browser.openConsent(browser.authorizeUrl(app, "profile:read", "s1")).page();
      assertThat(before.select(".unverified").text()).contains("Monei has not verified this app");
      var website = before.select(".app-links a:contains(Website)");
      assertThat(website.attr("href")).isEqualTo("https://linked.example/?a=1&b='x'");
      assertThat(website.attr("rel")).isEqualTo("noopener noreferrer");
      assertThat(before.select(".app-links a:contains(Privacy policy)").attr("href"))
          .isEqualTo("https://linked.example/privacy");
      String html = browser.get(browser.authorizeUrl(app, "profile:read", "s2")).body();
      assertThat(html).contains("a=1&amp;b=").doesNotContain("b='x'");

      Run run = cli("", "apps", "verify", "--client-id", clientId, "--json");

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.json().get("client_id").asText()).isEqualTo(clientId);
      assertThat(run.json().get("verified").asBoolean()).isTrue();
      var after = browser.openConsent(browser.authorizeUrl(app, "profile:read", "s3")).page();
      assertThat(after.select(".unverified")).isEmpty();
      assertThat(after.text()).doesNotContain("not verified");
      assertThat(after.select(".app-links a")).hasSize(2);
      assertThat(server.services().db.list("SELECT detail FROM audit_events WHERE event = ? AND client_id = ?",
          row -> row.getString("detail"), "app.verified", clientId)).containsExactly("verified by an operator");
    }
  }

  @Test
  void appsVerifyWhenClientIdUnknownThenOneLineErrorAndNonZeroExit() {
    Run run = cli("", "apps", "verify", "--client-id", "mc_nosuchapp", "--json");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err().strip()).isEqualTo("error: no app with client_id mc_nosuchapp");
    assertThat(run.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--website", "--privacy-url"})
  void appsCreateWhenLinkIsNotHttpsThenOneLineErrorAndNoApp(String option) {
    for (String url : List.of("http://plain.example/", "javascript:alert(1)", "not a url", "https:///nohost")) {
      Run run = cli("", "apps", "create", "--name", "Plain", "--redirect-uri", "https://plain.example/cb",
          option, url, "--json");

      assertThat(run.exit()).as(url).isNotZero();
      assertThat(run.err().strip()).as(url).startsWith("error: ").contains("https").doesNotContain("\n");
      assertThat(run.out()).as(url).isEmpty();
    }
  }

  // ---- a server on the same database

  @Test
  void serveWhenStartedOnCliDatabaseThenHealthAndReadinessAnswer200() throws Exception {
    String email = createUser();
    credit(email, "NGN", "5.00");
    Path logoFile = dir.resolve("served-" + COUNTER.incrementAndGet() + ".png");
    byte[] png = png();
    Files.write(logoFile, png);
    String clientId = createApp("--name", "Served", "--redirect-uri", "https://served.example/cb",
        "--logo-file", logoFile.toString()).get("client_id").asText();

    try (ServerApp server = ServerApp.create(Config.defaults(0).withDb(db), Clock.systemUTC()).start()) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + server.port();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(ready.statusCode()).isEqualTo(200);

      // the logo given to the CLI is served from Monei's origin, byte for byte
      HttpResponse<byte[]> logo = http.send(
          HttpRequest.newBuilder(URI.create(base + "/apps/" + clientId + "/logo")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(logo.statusCode()).isEqualTo(200);
      assertThat(logo.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("image/png"));
      assertThat(logo.body()).isEqualTo(png);
    }
  }

  // ---- helpers

  private static Run cli(String stdin, String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--db";
    full[args.length + 1] = db;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = MoneiCommand.run(full, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String uniqueEmail() {
    return "op" + COUNTER.incrementAndGet() + "-" + System.nanoTime() + "@monei.test";
  }

  private static String createUser() {
    String email = uniqueEmail();
    Run run = cli(PASSWORD + "\n", "users", "create", "--email", email, "--name", "Operator Made", "--password-stdin",
        "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    return email;
  }

  private static JsonNode createApp(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "apps";
    full[1] = "create";
    System.arraycopy(args, 0, full, 2, args.length);
    full[full.length - 1] = "--json";
    Run run = cli("", full);
    assertThat(run.exit()).as(run.err()).isZero();
    return run.json();
  }

  private static JsonNode credit(String email, String currency, String amount) {
    Run run = cli("", "wallet", "credit", "--email", email, "--currency", currency, "--amount", amount, "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    return run.json();
  }

  private static byte[] png() throws IOException {
    BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(0x11, 0x88, 0x44));
    g.fillRect(0, 0, 24, 24);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static String sha256Hex(String value) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<List<String>> rows(Connection c, String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) row.add(String.valueOf(rs.getObject(i)));
        rows.add(row);
      }
    }
    return rows;
  }

  /** Every table with a text value containing {@code needle}, across the whole database. */
  private static List<String> tablesContaining(Connection c, String needle) throws SQLException {
    List<String> tables = new ArrayList<>();
    for (List<String> t : rows(c, "SELECT name FROM sqlite_master WHERE type = 'table'")) tables.add(t.get(0));
    List<String> found = new ArrayList<>();
    for (String table : tables) {
      for (List<String> row : rows(c, "SELECT * FROM \"" + table + "\"")) {
        if (row.stream().anyMatch(v -> v.contains(needle))) {
          found.add(table);
          break;
        }
      }
    }
    return found;
  }
}
