package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.Browser;
import com.monei.connect.server.support.CallbackServer;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.MoneiTestClient.Grant;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** SPEC 2 in a real browser: approve two apps, Disconnect one on /account/connections. */
@WithTestServer
class ConnectionsBrowserTest {
  private static final String SCOPE = "profile:read";

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
  void disconnectWhenClickedThenAppLeavesTheListItsTokensDieAndConsentIsAskedAgain() {
    User user = server.user();
    TestServer.TestApp leaving = server.app().name("Leaving Shop").redirectUris(callbackUrl).create();
    TestServer.TestApp staying = server.app().name("Staying Shop").redirectUris(callbackUrl).create();
    MoneiTestClient channel = new MoneiTestClient(server);

    WebDriver driver = Browser.start();
    try {
      driver.get(authorizeUrl(leaving));
      signIn(driver, user);
      Grant leavingGrant = channel.redeem(leaving, allow(driver));
      driver.get(authorizeUrl(staying));
      waitForConsentForm(driver);
      Grant stayingGrant = channel.redeem(staying, allow(driver));

      driver.get(server.url() + "/account/connections");
      assertThat(listedClientIds(driver)).contains(leaving.clientId(), staying.clientId());
      assertThat(driver.findElement(By.cssSelector("li.connection[data-client-id='" + leaving.clientId() + "']"))
          .getText()).contains("Leaving Shop").contains("See your name and email address");

      driver.findElement(By.cssSelector("li.connection[data-client-id='" + leaving.clientId() + "'] "
          + "form[action='/account/connections/disconnect'] button")).click();

      new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("disconnected=1"));
      assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/account/connections");
      assertThat(driver.findElement(By.cssSelector(".notice")).getText()).containsIgnoringCase("disconnected");
      Document page = Jsoup.parse(driver.getPageSource());
      assertThat(page.select("li.connection[data-client-id=" + leaving.clientId() + "]")).isEmpty();
      assertThat(page.select("li.connection[data-client-id=" + staying.clientId() + "]")).hasSize(1);

      // over HTTP: the disconnected app is cut off at once, the other is not
      assertThat(channel.profileStatus(leavingGrant.access())).isEqualTo(401);
      assertThat(channel.refreshOutcome(leaving, leavingGrant.refresh())).isEqualTo("invalid_grant");
      assertThat(channel.profileStatus(stayingGrant.access())).isEqualTo(200);

      // the consent was forgotten: a new authorization asks again, while the other app's is remembered
      driver.get(authorizeUrl(leaving));
      waitForConsentForm(driver);
      assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/connect/authorize");
      assertThat(driver.findElement(By.tagName("body")).getText()).contains("Leaving Shop");
      driver.get(authorizeUrl(staying));
      waitForCallback(driver);
      assertThat(MoneiTestClient.query(driver.getCurrentUrl())).containsKey("code");
    } finally {
      driver.quit();
    }
  }

  private static String authorizeUrl(TestServer.TestApp app) {
    return server.url() + "/connect/authorize?client_id=" + MoneiTestClient.enc(app.clientId())
        + "&redirect_uri=" + MoneiTestClient.enc(app.redirectUri()) + "&response_type=code"
        + "&scope=" + MoneiTestClient.enc(SCOPE)
        + "&state=" + MoneiTestClient.enc("st-" + System.nanoTime());
  }

  private static void signIn(WebDriver driver, User user) {
    assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/login");
    Browser.submitLogin(driver, user.email(), TestServer.PASSWORD);
    waitForConsentForm(driver);
  }

  /** Clicks Allow on the consent screen and returns the code the callback received. */
  private static String allow(WebDriver driver) {
    driver.findElement(By.cssSelector("button[name=decision][value=allow]")).click();
    waitForCallback(driver);
    Map<String, String> params = MoneiTestClient.query(driver.getCurrentUrl());
    assertThat(params).containsKey("code").doesNotContainKey("error");
    return params.get("code");
  }

  private static List<String> listedClientIds(WebDriver driver) {
    return Jsoup.parse(driver.getPageSource()).select("li.connection").eachAttr("data-client-id");
  }

  private static void waitForConsentForm(WebDriver driver) {
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[action='/connect/consent']")));
  }

  private static void waitForCallback(WebDriver driver) {
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches(
        "^" + Pattern.quote(callbackUrl) + "\\?"));
  }
}
