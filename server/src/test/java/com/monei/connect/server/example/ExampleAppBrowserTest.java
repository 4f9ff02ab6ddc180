package com.monei.connect.server.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.example.ExampleApp;
import com.monei.connect.example.ExampleConfig;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.Browser;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * SPEC 6 in a real browser: "Your App" (the example module, started in-process) against the real
 * server, both on localhost. Each test is a fresh browser, so a fresh user of Your App.
 */
@WithTestServer
class ExampleAppBrowserTest {
  private static final Path SCREENSHOT = Path.of("/tmp/dashboard.png");
  private static final Duration WAIT = Duration.ofSeconds(10);

  static TestServer server;
  static TestServer.TestApp app;
  static ExampleApp yourApp;
  static String exampleUrl;
  WebDriver driver;

  @BeforeAll
  static void start(TestServer started) {
    Assumptions.assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
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

  @BeforeEach
  void openBrowser() {
    driver = Browser.start();
  }

  @AfterEach
  void closeBrowser() {
    if (driver != null) driver.quit();
  }

  @Test
  void dashboardWhenAllScopesGrantedThenShowsProfileBalanceAndSendFormAndSendMovesMoney() throws IOException {
    User user = server.user();
    User friend = server.user();
    server.credit(user, "NGN", "1500.00");

    connect(user, ticked -> {});

    assertThat(text(By.id("profile"))).contains(user.name()).contains(user.email());
    assertThat(text(By.id("balances"))).contains("NGN").contains("1500.00");
    assertThat(present(By.cssSelector("form[action='/send']"))).hasSize(1);
    assertThat(present(By.id("unavailable"))).isEmpty();

    driver.findElement(By.name("to")).sendKeys(friend.email());
    driver.findElement(By.name("amount")).sendKeys("250.00");
    new Select(driver.findElement(By.name("currency"))).selectByValue("NGN");
    driver.findElement(By.name("note")).sendKeys("Lunch");
    driver.findElement(By.cssSelector("form[action='/send'] button[type=submit]")).click();

    new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice")));
    assertThat(driver.getCurrentUrl()).isEqualTo(exampleUrl + "/dashboard");
    assertThat(text(By.cssSelector(".notice.ok"))).contains("Sent NGN 250.00").contains(friend.name());
    assertThat(text(By.id("balances"))).contains("1250.00").contains("Lunch");
    assertThat(server.services().wallets.walletOf(friend.id()).balances())
        .singleElement().satisfies(b -> assertThat(b.availableMinor()).isEqualTo(25_000));

    driver.manage().window().setSize(new Dimension(900, 1700));
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void dashboardWhenWalletSendUntickedThenOffersToAskForItAndAskingAddsOnlyThatScope() {
    User user = server.user();
    server.credit(user, "NGN", "700.00");

    connect(user, untick("wallet:send"));

    assertThat(present(By.cssSelector("form[action='/send']"))).isEmpty();
    assertThat(text(By.id("balances"))).contains("700.00");
    assertThat(text(By.id("unavailable"))).contains("cannot send money");
    WebElement ask = driver.findElement(By.linkText("Ask Monei: Send money from your wallet on your behalf"));
    assertThat(ask.getAttribute("href")).isEqualTo(exampleUrl + "/connect-monei?scope=wallet:send");

    ask.click();
    waitForConsent();
    List<String> offered = driver.findElements(By.cssSelector("input[type=checkbox][name=scope]")).stream()
        .map(box -> box.getAttribute("value")).toList();
    assertThat(offered).containsExactly("wallet:send");
    allow();

    assertThat(present(By.cssSelector("form[action='/send']"))).hasSize(1);
    assertThat(text(By.id("balances"))).contains("700.00");
    assertThat(text(By.id("profile"))).contains(user.email());
    assertThat(present(By.id("unavailable"))).isEmpty();
    driver.get(server.url() + "/account/connections");
    assertThat(present(connection())).as("the replaced grant's revocation keeps the app connected").hasSize(1);
  }

  @Test
  void callbackWhenUserDeniesThenDenialPageOffersTryAgain() {
    User user = server.user();

    startAndSignIn(user);
    driver.findElement(By.cssSelector("button[name=decision][value=deny]")).click();

    new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlMatches(
        "^" + Pattern.quote(exampleUrl + ExampleConfig.CALLBACK_PATH) + "\\?"));
    assertThat(text(By.tagName("h1"))).isEqualTo("Monei was not connected");
    assertThat(text(By.tagName("main"))).contains("nothing was shared").contains("cannot send money");
    WebElement tryAgain = driver.findElement(By.linkText("Try again"));

    tryAgain.click();
    waitForConsent();
    assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/connect/authorize");
    driver.get(exampleUrl + "/");
    assertThat(present(By.linkText("Connect Monei"))).hasSize(1);
  }

  @Test
  void disconnectWhenConnectedThenBackHomeAndMoneiNoLongerListsTheApp() {
    User user = server.user();
    connect(user, ticked -> {});
    driver.get(server.url() + "/account/connections");
    assertThat(present(connection())).hasSize(1);
    driver.get(exampleUrl + "/dashboard");

    driver.findElement(By.cssSelector("form[action='/disconnect'] button[type=submit]")).click();

    new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlToBe(exampleUrl + "/"));
    assertThat(text(By.cssSelector(".notice.ok"))).contains("disconnected");
    assertThat(present(By.linkText("Connect Monei"))).hasSize(1);
    driver.get(server.url() + "/account/connections");
    assertThat(present(connection())).isEmpty();
    assertThat(text(By.tagName("main"))).contains("No apps are connected");
  }

  @Test
  void callbackWhenStateDoesNotMatchThenStateMismatchPageAndNothingConnected() {
    driver.get(exampleUrl + ExampleConfig.CALLBACK_PATH + "?code=x&state=wrong");

    assertThat(text(By.tagName("main")))
        .contains("This response did not come from a request this browser started; nothing was connected.");
    assertThat(driver.findElement(By.linkText("Start again")).getAttribute("href"))
        .isEqualTo(exampleUrl + "/connect-monei");
    driver.get(exampleUrl + "/dashboard");
    assertThat(driver.getCurrentUrl()).isEqualTo(exampleUrl + "/");
    assertThat(present(By.linkText("Connect Monei"))).hasSize(1);
  }

  /** Home → Connect Monei → Monei's login → consent (with {@code adjust} applied to the checkboxes) → dashboard. */
  private void connect(User user, Consumer<List<WebElement>> adjust) {
    startAndSignIn(user);
    adjust.accept(driver.findElements(By.cssSelector("input[type=checkbox][name=scope]")));
    allow();
  }

  private static Consumer<List<WebElement>> untick(String scope) {
    return boxes -> boxes.stream().filter(b -> b.getAttribute("value").equals(scope)).forEach(WebElement::click);
  }

  private void startAndSignIn(User user) {
    driver.get(exampleUrl + "/");
    driver.findElement(By.linkText("Connect Monei")).click();
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("/login"));
    assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/login");
    driver.findElement(By.name("email")).sendKeys(user.email());
    driver.findElement(By.name("password")).sendKeys(TestServer.PASSWORD);
    driver.findElement(By.cssSelector("form[action='/login'] button[type=submit]")).click();
    waitForConsent();
  }

  private void waitForConsent() {
    new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[action='/connect/consent']")));
  }

  private void allow() {
    driver.findElement(By.cssSelector("button[name=decision][value=allow]")).click();
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlToBe(exampleUrl + "/dashboard"));
  }

  private By connection() {
    return By.cssSelector("li.connection[data-client-id='" + app.clientId() + "']");
  }

  /** The elements matching now, without the implicit wait (which would stall every check for absence). */
  private List<WebElement> present(By by) {
    driver.manage().timeouts().implicitlyWait(Duration.ZERO);
    try {
      return driver.findElements(by);
    } finally {
      driver.manage().timeouts().implicitlyWait(WAIT);
    }
  }

  private String text(By by) {
    return driver.findElement(by).getText();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
