package com.monei.connect.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A request to send money from the user's wallet ({@code POST /api/v1/wallet/send}, scope
 * {@code wallet:send}). The amount travels as a plain decimal string, never as a floating-point
 * number: {@code SendMoney.of("friend@example.com", new BigDecimal("250.50"), "NGN", "Lunch")}.
 *
 * @param to the recipient's email address or wallet id
 * @param amount the amount as a plain decimal string in the currency's precision, e.g. {@code "250.50"}
 * @param currency ISO 4217 code, e.g. {@code NGN}
 * @param note a note the recipient sees, or null
 */
public record SendMoney(String to, String amount, String currency, String note) {

  /** Checks the fields and writes the amount as a plain decimal ({@code "1E+3"} becomes {@code "1000"}). */
  public SendMoney {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    try {
      amount = new BigDecimal(amount.trim()).toPlainString();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("amount must be a decimal number such as \"250.50\": " + amount, e);
    }
  }

  /** A send of an exact {@code amount}. */
  public static SendMoney of(String to, BigDecimal amount, String currency, String note) {
    return new SendMoney(to, Objects.requireNonNull(amount, "amount").toPlainString(), currency, note);
  }

  /** A send given the amount as a decimal string such as {@code "250.50"}. */
  public static SendMoney of(String to, String amount, String currency, String note) {
    return new SendMoney(to, amount, currency, note);
  }

  String toJson() {
    ObjectNode body = Json.newObject();
    body.put("to", to);
    body.put("amount", amount);
    body.put("currency", currency);
    if (note != null) body.put("note", note);
    return Json.write(body);
  }
}
