package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a wallet holds in one currency.
 *
 * @param currency ISO 4217 code, e.g. {@code NGN}
 * @param available the spendable amount, exact (never a floating-point number)
 * @param availableText the amount exactly as Monei wrote it, e.g. {@code "1500.00"}, for display
 */
public record Balance(String currency, BigDecimal available, String availableText) {

  /** Checks that every field is present. */
  public Balance {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(available, "available");
    Objects.requireNonNull(availableText, "availableText");
  }

  static Balance parse(JsonNode node) {
    String text = Json.text(node, "available");
    return new Balance(Json.text(node, "currency"), Json.decimal("available", text), text);
  }
}
