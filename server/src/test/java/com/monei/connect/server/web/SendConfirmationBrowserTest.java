package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.Browser;
import com.monei.connect.server.support.CallbackServer;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * SPEC 1.2 and 1.6 in a real browser: consent with a threshold, a send above it over HTTP, the user
 * confirming on Monei's page with their password (or, in Chromium's virtual authenticator, with a
 * passkey), and the app's retry completing the send.
 */
@WithTestServer
class SendConfirmationBrowserTest {
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
  void sendWhenAboveThresholdAndUserConfirmsInBrowserThenRetryCompletes() {
    User user = server.user();
    User friend = server.user();
    server.credit(user, "NGN", "1000.00");
    TestServer.TestApp app = server.app().name("Browser Shop").redirectUris(callbackServer.url()).create();
    MoneiTestClient backChannel = new MoneiTestClient(server);

    WebDriver driver = Browser.start();
    try {
      driver.get(server.url() + "/connect/authorize?client_id=" + MoneiTestClient.enc(app.clientId())
          + "&redirect_uri=" + MoneiTestClient.enc(app.redirectUri()) + "&response_type=code"
          + "&scope=" + MoneiTestClient.enc("wallet:send") + "&state=s1");
      signIn(driver, user);
      wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("send_confirm_above")));
      assertThat(driver.findElement(By.id("send_confirm_above")).getAttribute("value")).isEmpty();
      driver.findElement(By.id("send_limit")).clear();
      driver.findElement(By.id("send_limit")).sendKeys("800.00");
      driver.findElement(By.id("send_confirm_above")).sendKeys("50.00");
      driver.findElement(By.cssSelector("button[name=decision][value=allow]")).click();
      wait(driver).until(ExpectedConditions.urlMatches("^" + Pattern.quote(callbackServer.url()) + "\\?"));
      Map<String, String> params = MoneiTestClient.query(driver.getCurrentUrl());
      JsonNode tokens = backChannel.exchangeOk(app, params.get("code"));
      assertThat(tokens.get("authorization_details").get(0).get("confirm_above").asText()).isEqualTo("50.00");
      String access = tokens.get("access_token").asText();

      String body = "{\"to\":\"" + friend.email() + "\",\"amount\":\"120.00\",\"currency\":\"NGN\",\"note\":\"books\"}";
      HttpResponse<String> asked = backChannel.sendMoney(access, "browser-key", body);
      assertThat(asked.statusCode()).as(asked.body()).isEqualTo(403);
      String url = MoneiTestClient.json(asked).get("confirmation_url").asText();

      driver.get(url);
      String page = driver.findElement(By.tagName("body")).getText();
      assertThat(page).contains("Browser Shop").contains("NGN 120.00").contains(friend.email()).contains("books");
      driver.findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
      driver.findElement(By.cssSelector("button[name=decision][value=confirm]")).click();
      wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-outcome")));
      assertThat(driver.getCurrentUrl()).isEqualTo(url);
      assertThat(driver.findElement(By.id("confirm-outcome")).getText()).contains("You confirmed this payment");

      HttpResponse<String> done = backChannel.sendMoney(access, "browser-key", body);
      assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
      assertThat(MoneiTestClient.json(done).get("amount").asText()).isEqualTo("120.00");
      assertThat(server.services().wallets.walletOf(friend.id()).balances()).singleElement()
          .satisfies(b -> assertThat(b.availableMinor()).isEqualTo(12_000));
    } finally {
      driver.quit();
    }
  }

  @Test
  void sendWhenAboveThresholdAndUserConfirmsWithPasskeyInBrowserThenRetryCompletes() {
    User user = server.user();
    User friend = server.user();
    server.credit(user, "NGN", "1000.00");
    TestServer.TestApp app = server.app().name("Passkey Shop").create();
    MoneiTestClient backChannel = new MoneiTestClient(server).signIn(user);
    String access = backChannel.grantSend(app, "wallet:send", "800.00", "NGN", "50.00").get("access_token").asText();

    WebDriver driver = Browser.start();
    try {
      ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
          .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
          .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
          .setHasResidentKey(true)
          .setHasUserVerification(true)
          .setIsUserVerified(true));
      driver.get(server.url() + PasskeyRoutes.PAGE);
      signIn(driver, user);
      wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-add")));
      driver.findElement(By.id("passkey-new-name")).sendKeys("Virtual key");
      driver.findElement(By.id("passkey-add")).click();
      wait(driver).until(ExpectedConditions.urlContains("passkey=added"));

      String body = "{\"to\":\"" + friend.email() + "\",\"amount\":\"120.00\",\"currency\":\"NGN\"}";
      HttpResponse<String> asked = backChannel.sendMoney(access, "passkey-key", body);
      assertThat(asked.statusCode()).as(asked.body()).isEqualTo(403);
      String url = MoneiTestClient.json(asked).get("confirmation_url").asText();

      driver.get(url);
      wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-confirm"))).click();
      wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-outcome")));
      assertThat(driver.getCurrentUrl()).isEqualTo(url);
      assertThat(driver.findElement(By.id("confirm-outcome")).getText()).contains("You confirmed this payment");

      HttpResponse<String> done = backChannel.sendMoney(access, "passkey-key", body);
      assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
      assertThat(server.services().wallets.walletOf(friend.id()).balances()).singleElement()
          .satisfies(b -> assertThat(b.availableMinor()).isEqualTo(12_000));
    } finally {
      driver.quit();
    }
  }

  private static void signIn(WebDriver driver, User user) {
    assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/login");
    Browser.submitLogin(driver, user.email(), TestServer.PASSWORD);
  }

  private static WebDriverWait wait(WebDriver driver) {
    return new WebDriverWait(driver, Duration.ofSeconds(10));
  }
}
