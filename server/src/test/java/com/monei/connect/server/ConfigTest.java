package com.monei.connect.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.validation.ValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lifetimes read from the environment: a value that would overflow time arithmetic stops the start. */
class ConfigTest {
  @ParameterizedTest
  @ValueSource(strings = {"MONEI_CODE_TTL", "MONEI_ACCESS_TOKEN_TTL", "MONEI_REFRESH_TOKEN_TTL",
      "MONEI_SECRET_ROTATION_OVERLAP", "MONEI_CONFIRMATION_TTL"})
  void lifetimeWhenBeyondTenYearsThenRefusedNamingIt(String name) {
    assertThatThrownBy(() -> Config.withEnvironment(Config.defaults(8080), Map.of(name, "9223372036854775807")))
        .isInstanceOf(ValidationException.class).hasMessage(name + " must be at most 315360000 seconds");
    assertThatThrownBy(() -> Config.withEnvironment(Config.defaults(8080), Map.of(name, "315360001")))
        .isInstanceOf(ValidationException.class).hasMessageStartingWith(name + " must be at most");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MONEI_CODE_TTL", "MONEI_ACCESS_TOKEN_TTL", "MONEI_REFRESH_TOKEN_TTL",
      "MONEI_SECRET_ROTATION_OVERLAP", "MONEI_CONFIRMATION_TTL"})
  void lifetimeWhenTenYearsThenAccepted(String name) {
    Config config = Config.withEnvironment(Config.defaults(8080), Map.of(name, "315360000"));
    Duration read = switch (name) {
      case "MONEI_CODE_TTL" -> config.codeTtl();
      case "MONEI_ACCESS_TOKEN_TTL" -> config.accessTokenTtl();
      case "MONEI_REFRESH_TOKEN_TTL" -> config.refreshTokenTtl();
      case "MONEI_SECRET_ROTATION_OVERLAP" -> config.secretRotationOverlap();
      default -> config.confirmationTtl();
    };
    assertThat(read).isEqualTo(Duration.ofDays(3650));
  }

  @Test
  void toStringWhenSecretsSetThenNeitherShows() {
    Config config = Config.withEnvironment(Config.defaults(8080), Map.of("MONEI_METRICS_TOKEN", "metrics-s3cret"))
        .withDb("jdbc:postgresql://db/monei").withDbCredentials("monei", "db-s3cret");
    assertThat(config.toString()).doesNotContain("metrics-s3cret").doesNotContain("db-s3cret")
        .contains("jdbc:postgresql://db/monei");
  }
}
