package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.validation.ValidationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC 1.6: decimal strings in the currency's minor-unit precision, integer minor units, never floating point. */
class AmountsTest {
  private static final Currency NGN = new Currency("NGN", 2);
  private static final Currency JPY = new Currency("JPY", 0);

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("valid")
  void parsePositiveWhenValidDecimalThenMinorUnits(Currency currency, String text, long minor) {
    assertThat(Amounts.parsePositive(text, currency)).isEqualTo(minor);
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(NGN, "1500.00", 150000L),
        Arguments.of(NGN, "0.01", 1L),
        Arguments.of(NGN, "1", 100L),
        Arguments.of(NGN, "1.5", 150L),
        Arguments.of(NGN, "0.5", 50L),
        Arguments.of(NGN, "10", 1000L),
        Arguments.of(NGN, "1500.50", 150050L),
        Arguments.of(NGN, "92233720368547758.07", Long.MAX_VALUE),
        Arguments.of(JPY, "100", 100L),
        Arguments.of(JPY, "1", 1L));
  }

  @ParameterizedTest(name = "NGN [{0}]")
  @MethodSource("invalid")
  void parsePositiveWhenInvalidThenIllegalArgument(String text) {
    assertThatThrownBy(() -> Amounts.parsePositive(text, NGN)).isInstanceOf(ValidationException.class);
  }

  static Stream<String> invalid() {
    return Stream.of(
        null, "", " ", "1e5", "1E5", "1e2", "-1", "-0.01", "+1", "0", "0.00", "00", "0.001", "1.001", "abc", "1,000.00",
        "1 000.00", "NaN", "Infinity", " 1", "1 ", "\t1", "1\n", "01", "00.50", ".5", "1.", ".", "1..0", "1.0.0",
        "0x10", "1_000", "\u0661\u0662", "\uFF11", "1\u00A0", "\u0661.00", "1/2", "$1", "1 NGN",
        "9".repeat(1000), "1." + "0".repeat(1000), "99999999999999999999", "99999999999999999.99",
        "92233720368547758.08");
  }

  @ParameterizedTest(name = "JPY [{0}]")
  @MethodSource("invalidYen")
  void parsePositiveWhenMoreDecimalsThanZeroDecimalCurrencyThenIllegalArgument(String text) {
    assertThatThrownBy(() -> Amounts.parsePositive(text, JPY)).isInstanceOf(ValidationException.class);
  }

  static Stream<String> invalidYen() {
    return Stream.of("1.5", "0.5", "100.01", "0", "9223372036854775808");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("formatted")
  void formatWhenMinorUnitsThenDecimalString(Currency currency, long minor, String text) {
    assertThat(Amounts.format(minor, currency)).isEqualTo(text);
  }

  static Stream<Arguments> formatted() {
    return Stream.of(
        Arguments.of(NGN, 150000L, "1500.00"),
        Arguments.of(NGN, 5L, "0.05"),
        Arguments.of(NGN, 50L, "0.50"),
        Arguments.of(NGN, 100L, "1.00"),
        Arguments.of(NGN, 0L, "0.00"),
        Arguments.of(NGN, 1000000000000L, "10000000000.00"),
        Arguments.of(NGN, Long.MAX_VALUE, "92233720368547758.07"),
        Arguments.of(JPY, 100L, "100"),
        Arguments.of(JPY, 0L, "0"));
  }

  @Test
  void formatWhenParsedThenRoundTrips() {
    for (String text : new String[] {"0.01", "0.10", "1.00", "1500.00", "1500.50", "123456789.99"}) {
      assertThat(Amounts.format(Amounts.parsePositive(text, NGN), NGN)).isEqualTo(text);
    }
  }
}
