package com.monei.connect.server.wallet;

import com.monei.connect.server.validation.ValidationException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Money as decimal strings on the wire and integer minor units everywhere else; never floating point.
 */
public final class Amounts {
  /** Plain digits with an optional fraction: no sign, exponent, spaces, NaN or grouping. */
  private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,17})(\\.[0-9]{1,18})?");

  private Amounts() {}

  /**
   * The amount in minor units, or a {@link ValidationException} naming the problem. Zero and more decimals than the
   * currency has are refused.
   */
  public static long parsePositive(String text, Currency currency) {
    long minor = parseNonNegative(text, currency);
    if (minor == 0) throw new ValidationException("amount must be greater than zero");
    return minor;
  }

  /** As {@link #parsePositive}, with zero allowed (a threshold of zero: every send is above it). */
  public static long parseNonNegative(String text, Currency currency) {
    if (text == null || !DECIMAL.matcher(text).matches())
      throw new ValidationException("amount must be a positive decimal string such as \"1500.00\"");
    BigDecimal value = new BigDecimal(text);
    if (value.scale() > currency.minorUnits())
      throw new ValidationException(
          "amount has more than " + currency.minorUnits() + " decimal places for " + currency.code());
    BigDecimal minor = value.movePointRight(currency.minorUnits());
    try {
      return minor.longValueExact();
    } catch (ArithmeticException e) {
      throw new ValidationException("amount is too large");
    }
  }

  /** "1500.00" for 150000 minor units of a two-decimal currency. */
  public static String format(long minor, Currency currency) {
    return BigDecimal.valueOf(minor, currency.minorUnits()).toPlainString();
  }
}
