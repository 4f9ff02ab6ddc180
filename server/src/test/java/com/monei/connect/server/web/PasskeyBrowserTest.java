package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.support.Browser;
import com.monei.connect.server.support.CallbackServer;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * SPEC 7 passkeys in real Chromium, whose virtual authenticator (a platform authenticator with
 * resident keys and user verification) answers navigator.credentials: add a passkey on
 * /account/security, sign out, sign in with it from the login page of an authorization request and
 * land on consent, remove it, and it no longer signs in.
 */
@WithTestServer
class PasskeyBrowserTest {
  static TestServer server;
  static CallbackServer callbackServer;

  @BeforeAll
  static void start(TestServer started) {
    Assumptions.assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
    server = started;
    callbackServer = CallbackServer.start();
  }

  @AfterAll
  static void stop() {
    if (callbackServer != null) callbackServer.close();
  }

  @Test
  void passkeyWhenAddedThenSignsInToConsentAndWhenRemovedNoLonger() {
    User user = server.user();
    TestServer.TestApp app = server.app().name("Passkey Shop").redirectUris(callbackServer.url()).create();
    WebDriver driver = Browser.start();
    try {
      VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(
          new VirtualAuthenticatorOptions()
              .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
              .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
              .setHasResidentKey(true)
              .setHasUserVerification(true)
              .setIsUserVerified(true));

      // Add a passkey on the security page, signed in with the password.
      driver.get(server.url() + PasskeyRoutes.PAGE);
      signInWithPassword(driver, user);
      waitFor(driver, ExpectedConditions.urlContains(PasskeyRoutes.PAGE));
      driver.findElement(By.id("passkey-new-name")).clear();
      driver.findElement(By.id("passkey-new-name")).sendKeys("Virtual key");
      driver.findElement(By.id("passkey-add")).click();
      waitFor(driver, ExpectedConditions.urlContains("passkey=added"));
      assertThat(Jsoup.parse(driver.getPageSource()).select("li.passkey input[name=name]").eachAttr("value"))
          .containsExactly("Virtual key");
      assertThat(authenticator.getCredentials()).singleElement()
          .satisfies(c -> assertThat(c.isResidentCredential()).isTrue());
      assertThat(server.services().passkeys.of(user.id())).singleElement()
          .satisfies(p -> assertThat(p.uvInitialized()).isTrue());

      signOut(driver);

      // Sign in with it from the login page of an authorization request: straight on to consent.
      driver.get(authorizeUrl(app));
      waitFor(driver, ExpectedConditions.urlContains("/login"));
      clickPasskeySignIn(driver);
      waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[action='/connect/consent']")));
      assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/connect/authorize");
      assertThat(driver.findElement(By.tagName("body")).getText()).contains("Passkey Shop");
      driver.findElement(By.cssSelector("button[name=decision][value=allow]")).click();
      waitFor(driver, ExpectedConditions.urlMatches("^" + Pattern.quote(callbackServer.url()) + "\\?"));
      Map<String, String> callback = MoneiTestClient.query(driver.getCurrentUrl());
      assertThat(callback).containsKey("code").doesNotContainKey("error");
      assertThat(events(user, AuditLog.LOGIN_OK)).anyMatch(d -> d != null && d.startsWith("passkey "));

      // Remove it: it no longer signs in, though the authenticator still offers it.
      driver.get(server.url() + PasskeyRoutes.PAGE);
      driver.findElement(By.cssSelector("li.passkey form[action$='/delete'] button")).click();
      waitFor(driver, ExpectedConditions.urlContains("passkey=removed"));
      assertThat(driver.findElements(By.cssSelector("li.passkey"))).isEmpty();
      assertThat(events(user, AuditLog.PASSKEY_REMOVED)).hasSize(1);
      signOut(driver);

      driver.get(server.url() + "/login");
      clickPasskeySignIn(driver);
      waitFor(driver, ExpectedConditions.visibilityOfElementLocated(By.id("passkey-error")));
      assertThat(driver.findElement(By.id("passkey-error")).getText()).contains("could not be used");
      assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/login");
      driver.get(server.url() + "/");
      assertThat(driver.getCurrentUrl()).as("not signed in").startsWith(server.url() + "/login");
      // The credential is no longer anyone's: the failure names no user.
      assertThat(server.services().db.list("SELECT detail FROM audit_events WHERE event = ? AND user_id IS NULL",
          row -> row.getString("detail"), AuditLog.LOGIN_FAILED)).contains("passkey: unknown credential");
    } finally {
      driver.quit();
    }
  }

  private static void signInWithPassword(WebDriver driver, User user) {
    waitFor(driver, ExpectedConditions.urlContains("/login"));
    Browser.submitLogin(driver, user.email(), TestServer.PASSWORD);
  }

  private static void clickPasskeySignIn(WebDriver driver) {
    waitFor(driver, ExpectedConditions.visibilityOfElementLocated(By.id("passkey-signin")));
    driver.findElement(By.id("passkey-signin")).click();
  }

  private static void signOut(WebDriver driver) {
    driver.get(server.url() + "/");
    driver.findElement(By.cssSelector("form[action='/logout'] button")).click();
    waitFor(driver, ExpectedConditions.urlContains("/login"));
  }

  private static <T> void waitFor(WebDriver driver, java.util.function.Function<WebDriver, T> condition) {
    try {
      new WebDriverWait(driver, Duration.ofSeconds(10)).until(condition::apply);
    } catch (TimeoutException e) {
      // What the page told the user says more than the timeout.
      throw new AssertionError("timed out on " + driver.getCurrentUrl() + ", page error: "
          + Jsoup.parse(driver.getPageSource()).select("#passkey-error, .error").text(), e);
    }
  }

  private static String authorizeUrl(TestServer.TestApp app) {
    return server.url() + "/connect/authorize?client_id=" + MoneiTestClient.enc(app.clientId())
        + "&redirect_uri=" + MoneiTestClient.enc(app.redirectUri()) + "&response_type=code"
        + "&scope=" + MoneiTestClient.enc("profile:read") + "&state=st-" + System.nanoTime();
  }

  private static List<String> events(User user, String event) {
    return server.services().db.list("SELECT detail FROM audit_events WHERE event = ? AND user_id = ?",
        row -> row.getString("detail"), event, user.id());
  }
}
