package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * How much the user allowed this app to send, as the token response's RFC 9396 authorization
 * details ({@code "type": "monei_send"}) state it: at most {@link #amount()} in {@link #currency()}
 * over a rolling {@link #windowHours()}, and each send of more than {@link #confirmAbove()} only
 * once the user confirmed it in Monei (see {@link ConfirmationRequiredException}).
 *
 * <p>Monei refuses a send in any other currency than the limit's, so offer the user only this one.
 * The value is the one of the latest token response; the user may lower it at Monei in between, so
 * call {@link WalletApi#limits()} for what is left now.
 */
public final class SendLimit implements Serializable {
  private static final long serialVersionUID = 1L;
  /** RFC 9396 §2: the {@code type} of Monei's send authorization detail. */
  static final String TYPE = "monei_send";

  private final BigDecimal amount;
  private final String currency;
  private final int windowHours;
  private final BigDecimal confirmAbove;

  private SendLimit(BigDecimal amount, String currency, int windowHours, BigDecimal confirmAbove) {
    this.amount = Objects.requireNonNull(amount, "amount");
    this.currency = Objects.requireNonNull(currency, "currency");
    if (windowHours <= 0) throw new IllegalArgumentException("windowHours must be positive");
    this.windowHours = windowHours;
    this.confirmAbove = confirmAbove;
  }

  /**
   * A limit of {@code amount} in {@code currency} per {@code windowHours}; {@code confirmAbove} is the
   * amount above which each send needs the user's confirmation, or null when none does.
   */
  public static SendLimit of(BigDecimal amount, String currency, int windowHours, BigDecimal confirmAbove) {
    return new SendLimit(amount, currency, windowHours, confirmAbove);
  }

  /** The most the app may send within the window, exact. */
  public BigDecimal amount() {
    return amount;
  }

  /** ISO 4217 code of the limit, e.g. {@code NGN}: the only currency the app may send in. */
  public String currency() {
    return currency;
  }

  /** The rolling window the limit covers, in hours (24). */
  public int windowHours() {
    return windowHours;
  }

  /** Sends of more than this amount must each be confirmed by the user in Monei; empty when none must. */
  public Optional<BigDecimal> confirmAbove() {
    return Optional.ofNullable(confirmAbove);
  }

  /** True when Monei will ask the user to confirm a send of {@code amount} before it moves any money. */
  public boolean needsConfirmation(BigDecimal amount) {
    return confirmAbove != null && amount.compareTo(confirmAbove) > 0;
  }

  /**
   * The {@code monei_send} entry of a token response's {@code authorization_details}, or null when
   * there is none (the grant does not include {@code wallet:send}); entries of other types are skipped.
   */
  static SendLimit fromAuthorizationDetails(JsonNode response) {
    for (JsonNode detail : Json.array(response, "authorization_details")) {
      if (!detail.isObject() || !TYPE.equals(Json.optionalText(detail, "type"))) continue;
      JsonNode limit = detail.get("limit");
      if (limit == null || !limit.isObject()) throw new Json.MalformedJson("monei_send detail without a limit");
      String hours = Json.optionalText(limit, "window_hours");
      String above = Json.optionalText(detail, "confirm_above");
      try {
        return new SendLimit(Json.decimal("limit.amount", Json.text(limit, "amount")), Json.text(limit, "currency"),
            hours == null ? 24 : Integer.parseInt(hours),
            above == null || above.isEmpty() ? null : Json.decimal("confirm_above", above));
      } catch (IllegalArgumentException e) {
        throw new Json.MalformedJson("monei_send detail: " + e.getMessage());
      }
    }
    return null;
  }

  /** A deserialized value passes the same checks as a new one. */
  private Object readResolve() {
    return new SendLimit(amount, currency, windowHours, confirmAbove);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendLimit other && amount.compareTo(other.amount) == 0 && currency.equals(other.currency)
        && windowHours == other.windowHours && (confirmAbove == null ? other.confirmAbove == null
            : other.confirmAbove != null && confirmAbove.compareTo(other.confirmAbove) == 0);
  }

  @Override
  public int hashCode() {
    return Objects.hash(amount.stripTrailingZeros(), currency, windowHours,
        confirmAbove == null ? null : confirmAbove.stripTrailingZeros());
  }

  @Override
  public String toString() {
    return "SendLimit[" + currency + " " + amount.toPlainString() + " per " + windowHours + "h"
        + (confirmAbove == null ? "" : ", confirm above " + confirmAbove.toPlainString()) + "]";
  }
}
