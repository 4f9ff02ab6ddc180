package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What this app may still send for the user now ({@code GET /api/v1/wallet/limits}, scope
 * {@code wallet:send}): tell the user before they try a send that would be refused or need confirming.
 *
 * @param currency ISO 4217 code of the limit; Monei refuses sends in any other currency
 * @param limit the most the app may send within the window, exact
 * @param used what the app sent within the window so far
 * @param remaining what is left to send now
 * @param windowHours the rolling window the limit covers, in hours
 * @param confirmAbove sends of more than this need the user's confirmation in Monei; empty when none do
 */
public record SendLimits(String currency, BigDecimal limit, BigDecimal used, BigDecimal remaining, int windowHours,
    Optional<BigDecimal> confirmAbove) {

  /** Checks that every field is present. */
  public SendLimits {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(used, "used");
    Objects.requireNonNull(remaining, "remaining");
    confirmAbove = confirmAbove == null ? Optional.empty() : confirmAbove;
  }

  /** True when Monei will ask the user to confirm a send of {@code amount} before it moves any money. */
  public boolean needsConfirmation(BigDecimal amount) {
    return confirmAbove.isPresent() && amount.compareTo(confirmAbove.get()) > 0;
  }

  static SendLimits parse(JsonNode node) {
    String hours = Json.optionalText(node, "window_hours");
    String above = Json.optionalText(node, "confirm_above");
    int windowHours;
    try {
      windowHours = hours == null ? 24 : Integer.parseInt(hours);
    } catch (NumberFormatException e) {
      throw new Json.MalformedJson("\"window_hours\" is not a whole number");
    }
    return new SendLimits(Json.text(node, "currency"), Json.decimal("limit", Json.text(node, "limit")),
        Json.decimal("used", Json.text(node, "used")), Json.decimal("remaining", Json.text(node, "remaining")),
        windowHours, above == null || above.isEmpty() ? Optional.empty()
            : Optional.of(Json.decimal("confirm_above", above)));
  }
}
