package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.Browser;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * SPEC 2 `/developers/apps` in a real browser: register with a logo file, a 303 to the secret shown
 * once with a copy button (and never again on reload), rotation, privacy.
 */
@WithTestServer
class DeveloperPortalBrowserTest {
  private static final Path SCREENSHOT = Path.of("/tmp/portal.png");
  private static final Pattern SECRET = Pattern.compile("mcs_[0-9A-Za-z]{49}");
  private static final String APPS = "/developers/apps";

  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    Assumptions.assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
    server = started;
  }

  @Test
  void portalWhenAppRegisteredWithLogoThenSecretShownOnceRotatedAndInvisibleToOthers() throws IOException {
    User owner = server.user();
    User stranger = server.user();
    Path logo = Files.createTempFile("monei-logo-", ".png");
    Files.write(logo, DeveloperPortalTest.png(64, 64));
    WebDriver driver = Browser.start();
    String clientId;
    try {
      driver.get(server.url() + APPS);
      signIn(driver, owner);

      driver.findElement(By.id("name")).sendKeys("Browser Bakery");
      driver.findElement(By.id("redirect_uris"))
          .sendKeys("https://bakery.example/monei/callback\nhttp://localhost:3000/monei/callback");
      driver.findElement(By.id("logo")).sendKeys(logo.toString());
      assertThat(driver.findElement(By.cssSelector("input[name=type][value=confidential]")).isSelected()).isTrue();
      driver.findElement(By.cssSelector("form[action='/developers/apps'] button[type=submit]")).click();

      WebElement secretField = new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("client_secret")));
      String secret = secretField.getText();
      assertThat(secret).matches(SECRET);
      clientId = driver.findElement(By.cssSelector("code.client-id")).getText();
      assertThat(clientId).startsWith("mc_");
      assertThat(driver.getCurrentUrl()).as("the POST answered 303 to the secret page")
          .isEqualTo(server.url() + APPS + "/" + clientId + "/secret");
      assertThat(bodyText(driver)).contains("Copy it now; it will not be shown again");
      WebElement copy = driver.findElement(By.cssSelector("button[data-copy=client_secret]"));
      new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOf(copy));
      copy.click();
      // "Copied", or the fallback where the browser denies the clipboard: the same-origin script ran.
      new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> !copy.getText().equals("Copy the secret"));
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

      driver.navigate().refresh();
      assertThat(driver.getCurrentUrl()).isEqualTo(server.url() + APPS + "/" + clientId + "/secret");
      assertThat(driver.getPageSource()).doesNotContain(secret);
      assertThat(driver.findElements(By.id("client_secret"))).isEmpty();
      assertThat(bodyText(driver)).contains("shown once");
      assertThat(driver.findElements(By.cssSelector("form[action$='/secret'] button[type=submit]")))
          .as("offers a new secret instead").hasSize(1);

      driver.findElement(By.linkText("Back to your apps")).click();
      waitForPath(driver, APPS);
      driver.navigate().refresh();
      assertThat(driver.getPageSource()).contains(clientId).doesNotContain(secret);
      WebElement img = driver.findElement(By.cssSelector("[data-client-id='" + clientId + "'] img.logo"));
      assertThat(img.getAttribute("src")).isEqualTo(server.url() + "/apps/" + clientId + "/logo");
      assertThat(((Number) ((JavascriptExecutor) driver).executeScript("return arguments[0].naturalWidth", img))
          .intValue()).as("the logo loads").isEqualTo(64);

      driver.findElement(By.linkText("Manage Browser Bakery")).click();
      waitForPath(driver, APPS + "/" + clientId);
      assertThat(driver.getPageSource()).doesNotContain(secret);
      driver.findElement(By.cssSelector("form[action$='/secret'] button[type=submit]")).click();
      String rotated = new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("client_secret"))).getText();
      assertThat(rotated).matches(SECRET).isNotEqualTo(secret);
      assertThat(bodyText(driver)).contains("previous secret keeps working until");
      driver.navigate().refresh();
      assertThat(driver.getPageSource()).doesNotContain(rotated);
      assertThat(bodyText(driver)).contains("shown once");
      driver.navigate().to(server.url() + APPS + "/" + clientId);
      assertThat(driver.getPageSource()).doesNotContain(rotated).doesNotContain(secret);

      // Readable on a phone: nothing wider than the screen.
      driver.manage().window().setSize(new Dimension(390, 844));
      for (String path : new String[] {APPS, APPS + "/" + clientId}) {
        driver.navigate().to(server.url() + path);
        Object overflow = ((JavascriptExecutor) driver).executeScript(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).intValue()).as("horizontal overflow on %s", path).isLessThanOrEqualTo(0);
      }
    } finally {
      driver.quit();
      Files.deleteIfExists(logo);
    }

    WebDriver other = Browser.start();
    try {
      other.get(server.url() + APPS);
      signIn(other, stranger);
      assertThat(other.getPageSource()).doesNotContain(clientId).doesNotContain("Browser Bakery");
      other.navigate().to(server.url() + APPS + "/" + clientId);
      assertThat(other.getTitle()).startsWith("App not found");
      assertThat(other.getPageSource()).doesNotContain("Browser Bakery");
    } finally {
      other.quit();
    }
  }

  /** On the login page the portal redirected to: signs in and waits to be sent back to the portal. */
  private static void signIn(WebDriver driver, User user) {
    assertThat(driver.getCurrentUrl()).startsWith(server.url() + "/login");
    Browser.submitLogin(driver, user.email(), TestServer.PASSWORD);
    waitForPath(driver, APPS);
  }

  private static void waitForPath(WebDriver driver, String path) {
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches(
        "^" + Pattern.quote(server.url() + path) + "(\\?.*)?$"));
  }

  private static String bodyText(WebDriver driver) {
    return driver.findElement(By.tagName("body")).getText();
  }
}
