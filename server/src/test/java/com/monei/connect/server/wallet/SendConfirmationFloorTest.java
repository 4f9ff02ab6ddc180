package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.Config;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiServerExtension;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.validation.ValidationException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's floor MONEI_SEND_CONFIRM_ABOVE (SPEC 1.6): a plain amount compared with each send in
 * the send's own currency, in force for every grant, lower grant thresholds still applying; and how
 * the variables are read.
 */
class SendConfirmationFloorTest {
  @RegisterExtension
  static final MoneiServerExtension MONEI = MoneiServerExtension.with(c -> c
      .withSendConfirmAbove(new BigDecimal("100")).withConfirmationTtl(Duration.ofSeconds(120)));

  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @AfterEach
  void ledgerHolds() {
    LedgerInvariants.check(server.services().db);
  }

  private record Setup(User sender, User recipient, MoneiTestClient browser, JsonNode tokens) {
    String token() {
      return tokens.get("access_token").asText();
    }
  }

  private static Setup setup(String currency, String confirmAbove) {
    User sender = server.user();
    User recipient = server.user();
    server.credit(sender, currency, "1000.00");
    MoneiTestClient browser = new MoneiTestClient(server).signIn(sender);
    JsonNode tokens = browser.grantSend(server.app().create(), "wallet:send", "5000.00", currency, confirmAbove);
    return new Setup(sender, recipient, browser, tokens);
  }

  private static HttpResponse<String> send(Setup s, String amount, String currency) {
    return s.browser().sendMoney(s.token(), UUID.randomUUID().toString(), "{\"to\":\"" + s.recipient().email()
        + "\",\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\"}");
  }

  private static String confirmAbove(Setup s) {
    JsonNode value = MoneiTestClient.json(s.browser().api("/api/v1/wallet/limits", s.token())).get("confirm_above");
    assertThat(value.asText()).isEqualTo(s.tokens().get("authorization_details").get(0).get("confirm_above").asText());
    return value.asText();
  }

  @Test
  void sendWhenAboveFloorThenConfirmationRequiredEvenWithoutGrantThreshold() {
    Setup s = setup("NGN", null);
    assertThat(send(s, "100.00", "NGN").statusCode()).isEqualTo(201);
    HttpResponse<String> above = send(s, "100.01", "NGN");
    assertThat(above.statusCode()).isEqualTo(403);
    assertThat(MoneiTestClient.error(above)).isEqualTo("confirmation_required");
    assertThat(MoneiTestClient.json(above).get("expires_in").asLong()).isEqualTo(120);
    assertThat(confirmAbove(s)).isEqualTo("100.00");
  }

  @Test
  void floorWhenOtherCurrencyThenComparedInThatCurrency() {
    Setup s = setup("USD", null);
    assertThat(send(s, "99.99", "USD").statusCode()).isEqualTo(201);
    assertThat(MoneiTestClient.error(send(s, "150.00", "USD"))).isEqualTo("confirmation_required");
    assertThat(confirmAbove(s)).isEqualTo("100.00");
  }

  @Test
  void thresholdWhenGrantLowerOrHigherThenTheLowerApplies() {
    Setup lower = setup("NGN", "40.00");
    assertThat(confirmAbove(lower)).isEqualTo("40.00");
    assertThat(MoneiTestClient.error(send(lower, "40.01", "NGN"))).isEqualTo("confirmation_required");
    Setup higher = setup("NGN", "500.00");
    assertThat(confirmAbove(higher)).isEqualTo("100.00");
    assertThat(MoneiTestClient.error(send(higher, "200.00", "NGN"))).isEqualTo("confirmation_required");
    assertThat(send(higher, "60.00", "NGN").statusCode()).isEqualTo(201);
  }

  @Test
  void configWhenFloorAndTtlSetThenRead() {
    Config config = Config.withEnvironment(Config.defaults(0),
        Map.of("MONEI_SEND_CONFIRM_ABOVE", "50.5", "MONEI_CONFIRMATION_TTL", "90"));
    assertThat(config.sendConfirmAbove()).isEqualByComparingTo("50.5");
    assertThat(config.confirmationTtl()).isEqualTo(Duration.ofSeconds(90));
    Config defaults = Config.withEnvironment(Config.defaults(0), Map.of());
    assertThat(defaults.sendConfirmAbove()).isNull();
    assertThat(defaults.confirmationTtl()).isEqualTo(Duration.ofSeconds(600));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-5", "1e3", "50,00", "NGN 50", ".5", "01"})
  void configWhenFloorMalformedThenOneLineError(String value) {
    assertThatThrownBy(() -> Config.withEnvironment(Config.defaults(0), Map.of("MONEI_SEND_CONFIRM_ABOVE", value)))
        .isInstanceOf(ValidationException.class)
        .hasMessage("MONEI_SEND_CONFIRM_ABOVE must be a plain decimal amount such as 50.00");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "soon"})
  void configWhenTtlInvalidThenError(String value) {
    assertThatThrownBy(() -> Config.withEnvironment(Config.defaults(0), Map.of("MONEI_CONFIRMATION_TTL", value)))
        .isInstanceOf(ValidationException.class).hasMessageStartingWith("MONEI_CONFIRMATION_TTL");
  }

  @Test
  void demoWhenEnvironmentSetThenReadsOnlyLifetimesAndFloor() {
    Config demo = Config.withDemoEnvironment(Config.defaults(8080), Map.of("MONEI_SEND_CONFIRM_ABOVE", "25",
        "MONEI_ACCESS_TOKEN_TTL", "60", "MONEI_CONFIRMATION_TTL", "30", "MONEI_LOGIN_MAX_FAILURES", "9"));
    assertThat(demo.sendConfirmAbove()).isEqualByComparingTo("25");
    assertThat(demo.accessTokenTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(demo.confirmationTtl()).isEqualTo(Config.DEFAULT_CONFIRMATION_TTL);
    assertThat(demo.loginMaxFailures()).isEqualTo(Config.DEFAULT_LOGIN_MAX_FAILURES);
  }
}
