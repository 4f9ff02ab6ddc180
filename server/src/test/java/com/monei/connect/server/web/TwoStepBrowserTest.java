package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.Browser;
import com.monei.connect.server.support.CallbackServer;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.TotpCodes;
import com.monei.connect.server.support.WithTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * SPEC 7 in real Chromium: set up an authenticator app on /account/security from the secret the
 * page shows, then sign in with the password and a code, which continues an authorization request.
 */
@WithTestServer
class TwoStepBrowserTest {
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
  void enrolWhenCodeReadFromThePageThenSignInAsksForTheCodeAndContinuesToConsent() {
    User user = server.user();
    TestServer.TestApp app = server.app().name("Code Shop").redirectUris(callbackServer.url()).create();

    WebDriver driver = Browser.start();
    try {
      driver.get(server.url() + "/account/security");
      signIn(driver, user);
      wait(driver).until(ExpectedConditions.urlToBe(server.url() + "/account/security"));
      assertThat(driver.findElement(By.id("totp-status")).getText()).contains("off");

      driver.findElement(By.id("totp-setup")).click();
      String secret = wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("totp-secret"))).getText();
      WebElement qr = driver.findElement(By.cssSelector(".qr svg"));
      assertThat(qr.getSize().getWidth()).isGreaterThan(100);
      assertThat(qr.getSize().getHeight()).isEqualTo(qr.getSize().getWidth());
      driver.findElement(By.id("totp-code")).sendKeys(TotpCodes.at(secret, server.clock.instant()));
      driver.findElement(By.cssSelector("form[action='/account/security/totp/confirm'] button")).click();
      List<WebElement> codes = wait(driver).until(
          ExpectedConditions.numberOfElementsToBe(By.cssSelector("#recovery-codes li"), 10));
      assertThat(codes.get(0).getText()).matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}");
      assertThat(driver.findElement(By.id("totp-status")).getText()).contains("on");

      // A new browser session: sign in again for the app, with the password and then a code.
      driver.manage().deleteAllCookies();
      driver.get(server.url() + "/connect/authorize?client_id=" + MoneiTestClient.enc(app.clientId())
          + "&redirect_uri=" + MoneiTestClient.enc(app.redirectUri()) + "&response_type=code"
          + "&scope=profile%3Aread&state=st-browser");
      signIn(driver, user);
      wait(driver).until(ExpectedConditions.urlToBe(server.url() + "/login/verify"));
      server.advance(Duration.ofSeconds(30));
      driver.findElement(By.id("code")).sendKeys(TotpCodes.at(secret, server.clock.instant()));
      driver.findElement(By.cssSelector("form[action='/login/verify'] button")).click();

      wait(driver).until(
          ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[action='/connect/consent']")));
      assertThat(driver.findElement(By.tagName("body")).getText()).contains("Code Shop");
      driver.findElement(By.cssSelector("button[name=decision][value=allow]")).click();
      wait(driver).until(ExpectedConditions.urlMatches("^" + Pattern.quote(callbackServer.url()) + "\\?"));
      Map<String, String> params = MoneiTestClient.query(driver.getCurrentUrl());
      assertThat(params).containsKey("code").containsEntry("state", "st-browser");
    } finally {
      driver.quit();
    }
  }

  private static void signIn(WebDriver driver, User user) {
    wait(driver).until(ExpectedConditions.urlContains("/login"));
    Browser.submitLogin(driver, user.email(), TestServer.PASSWORD);
  }

  private static WebDriverWait wait(WebDriver driver) {
    return new WebDriverWait(driver, Duration.ofSeconds(10));
  }
}
