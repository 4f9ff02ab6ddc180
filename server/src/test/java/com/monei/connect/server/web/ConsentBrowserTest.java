package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.Browser;
import com.monei.connect.server.support.CallbackServer;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** SPEC 1.2/1.3 in a real browser: login, per-scope consent with a checkbox unticked, Allow and Deny. */
@WithTestServer
class ConsentBrowserTest {
  private static final Path SCREENSHOT = Path.of("/tmp/consent.png");
  private static final String SCOPE = "wallet:read profile:read";

  static TestServer server;
  static CallbackServer callbackServer;
  static String callbackUrl;

  @BeforeAll
  static void start(TestServer started) {
    Assumptions.assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
    server = started;
    callbackServer = CallbackServer.start();
    callbackUrl = callbackServer.url();
  }

  @AfterAll
  static void stop() {
    if (callbackServer != null) callbackServer.close();
  }

  @Test
  void consentWhenWalletReadUntickedAndAllowedThenCallbackGetsCodeForProfileReadOnly() throws Exception {
    User user = server.user();
    TestServer.TestApp app = server.app().name("Browser Shop").redirectUris(callbackUrl).create();
    String state = "st-" + System.nanoTime();
    callbackServer.queries.clear();

    WebDriver driver = Browser.start();
    try {
      signInThroughAuthorize(driver, app, state, user);

      WebElement walletRead = driver.findElement(By.cssSelector("input[type=checkbox][name=scope][value='wallet:read']"));
      WebElement profileRead = driver.findElement(By.cssSelector("input[type=checkbox][name=scope][value='profile:read']"));
      assertThat(walletRead.isSelected()).as("wallet:read ticked by default").isTrue();
      assertThat(profileRead.isSelected()).as("profile:read ticked by default").isTrue();
      assertThat(driver.findElement(By.tagName("body")).getText()).contains("Browser Shop").contains(user.email());
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

      walletRead.click();
      assertThat(walletRead.isSelected()).isFalse();
      driver.findElement(By.cssSelector("button[name=decision][value=allow]")).click();

      waitForCallback(driver);
      Map<String, String> params = MoneiTestClient.query(driver.getCurrentUrl());
      assertThat(driver.findElement(By.tagName("body")).getText()).contains("callback ok");
      assertThat(params).containsEntry("state", state).containsEntry("iss", server.issuer()).containsKey("code")
          .doesNotContainKey("error");
      assertThat(MoneiTestClient.query("/?" + callbackServer.queries.poll(5, TimeUnit.SECONDS))).isEqualTo(params);

      JsonNode token = new MoneiTestClient(server).exchangeOk(app, params.get("code"));
      assertThat(token.get("scopes")).extracting(JsonNode::asText).containsExactly("profile:read");
      assertThat(token.get("scope").asText()).isEqualTo("profile:read");
      MoneiTestClient api = new MoneiTestClient(server);
      String access = token.get("access_token").asText();
      assertThat(api.api("/api/v1/profile/me", access).statusCode()).isEqualTo(200);
      assertThat(api.api("/api/v1/wallet/me", access).statusCode()).isEqualTo(403);
    } finally {
      driver.quit();
    }
  }

  @Test
  void consentWhenDenyClickedThenCallbackGetsAccessDeniedAndState() throws Exception {
    User user = server.user();
    TestServer.TestApp app = server.app().name("Denied Shop").redirectUris(callbackUrl).create();
    String state = "deny-" + System.nanoTime();
    callbackServer.queries.clear();

    WebDriver driver = Browser.start();
    try {
      signInThroughAuthorize(driver, app, state, user);
      driver.findElement(By.cssSelector("button[name=decision][value=deny]")).click();

      waitForCallback(driver);
      Map<String, String> params = MoneiTestClient.query(driver.getCurrentUrl());
      assertThat(params).containsEntry("error", "access_denied").containsEntry("state", state)
          .containsEntry("iss", server.issuer()).doesNotContainKey("code");
      assertThat(MoneiTestClient.query("/?" + callbackServer.queries.poll(5, TimeUnit.SECONDS))).isEqualTo(params);
    } finally {
      driver.quit();
    }
  }

  @Test
  void notYouWhenClickedThenAnotherUserSignsInAndLandsOnTheSameConsent() throws Exception {
    User first = server.user();
    User second = server.user();
    TestServer.TestApp app = server.app().name("Shared Laptop Shop").redirectUris(callbackUrl).create();
    String state = "swap-" + System.nanoTime();
    callbackServer.queries.clear();

    WebDriver driver = Browser.start();
    try {
      signInThroughAuthorize(driver, app, state, first);
      assertThat(driver.findElement(By.cssSelector("form[action='/logout']")).getText()).contains(first.email());

      driver.findElement(By.id("not-you")).click();

      new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/login"));
      assertThat(driver.findElement(By.tagName("body")).getText()).contains("to continue to Shared Laptop Shop");
      Browser.submitLogin(driver, second.email(), TestServer.PASSWORD);
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[action='/connect/consent']")));
      assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/connect/authorize");
      String who = driver.findElement(By.cssSelector("form[action='/logout']")).getText();
      assertThat(who).contains(second.email()).doesNotContain(first.email());
      assertThat(driver.findElement(By.tagName("body")).getText()).contains("Shared Laptop Shop");

      driver.findElement(By.cssSelector("button[name=decision][value=allow]")).click();

      waitForCallback(driver);
      Map<String, String> params = MoneiTestClient.query(driver.getCurrentUrl());
      assertThat(params).containsEntry("state", state).containsKey("code");
      JsonNode token = new MoneiTestClient(server).exchangeOk(app, params.get("code"));
      JsonNode profile = MoneiTestClient.json(new MoneiTestClient(server)
          .api("/api/v1/profile/me", token.get("access_token").asText()));
      assertThat(profile.get("email").asText()).isEqualTo(second.email());
    } finally {
      driver.quit();
    }
  }

  @ParameterizedTest(name = "{0} px wide")
  @ValueSource(ints = {1280, 375})
  void scopeNameWhenShownThenNeverBreaksAcrossLines(int width) {
    TestServer.TestApp app = server.app().name("Narrow Screen Shop With A Rather Long Name").redirectUris(callbackUrl)
        .create();

    WebDriver driver = Browser.start();
    try {
      driver.manage().window().setSize(new Dimension(width, 900));
      signInThroughAuthorize(driver, app, "w-" + width, server.user());

      List<WebElement> names = driver.findElements(By.cssSelector(".scopes code"));
      assertThat(names).extracting(WebElement::getText).containsExactlyInAnyOrder("wallet:read", "profile:read");
      for (WebElement name : names) {
        // One rectangle per line the text occupies: a name broken inside ("wallet:r / ead") gives two.
        Object lines = ((JavascriptExecutor) driver).executeScript(
            "const r = document.createRange(); r.selectNodeContents(arguments[0]); return r.getClientRects().length;",
            name);
        assertThat(((Number) lines).intValue()).as("lines of %s at %d px", name.getText(), width).isEqualTo(1);
      }
    } finally {
      driver.quit();
    }
  }

  /** Opens the authorize URL signed out, signs in on the login page, and waits for the consent form. */
  private static void signInThroughAuthorize(WebDriver driver, TestServer.TestApp app, String state, User user) {
    String authorize = server.url() + "/connect/authorize?client_id=" + MoneiTestClient.enc(app.clientId())
        + "&redirect_uri=" + MoneiTestClient.enc(app.redirectUri()) + "&response_type=code"
        + "&scope=" + MoneiTestClient.enc(SCOPE)
        + "&state=" + MoneiTestClient.enc(state);
    driver.get(authorize);
    assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/login");

    Browser.submitLogin(driver, user.email(), TestServer.PASSWORD);

    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[action='/connect/consent']")));
    assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/connect/authorize");
  }

  private static void waitForCallback(WebDriver driver) {
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches(
        "^" + Pattern.quote(callbackUrl) + "\\?"));
  }
}
