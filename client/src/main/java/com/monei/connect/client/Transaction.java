package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a wallet's history, seen from that wallet: a send shows as {@code send} for the
 * sender and {@code receive} for the recipient, with the same {@link #id()}.
 *
 * @param id Monei's id, {@code txn_…}
 * @param type {@link #SEND}, {@link #RECEIVE} or {@link #CREDIT}
 * @param amount the amount, exact
 * @param amountText the amount exactly as Monei wrote it, e.g. {@code "250.50"}
 * @param currency ISO 4217 code
 * @param counterparty the other side, or null
 * @param note the sender's note, or null
 * @param status {@code completed}
 * @param createdAt when it happened
 */
public record Transaction(String id, String type, BigDecimal amount, String amountText, String currency,
    Counterparty counterparty, String note, String status, Instant createdAt) {

  /** Money that left this wallet. */
  public static final String SEND = "send";
  /** Money another wallet sent to this one. */
  public static final String RECEIVE = "receive";
  /** Money Monei credited to this wallet. */
  public static final String CREDIT = "credit";

  /** Checks the fields that are always present. */
  public Transaction {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
  }

  static Transaction parse(JsonNode node) {
    String amount = Json.text(node, "amount");
    return new Transaction(Json.text(node, "id"), Json.optionalText(node, "type"), Json.decimal("amount", amount),
        amount, Json.text(node, "currency"), Counterparty.parse(node.get("counterparty")),
        Json.optionalText(node, "note"), Json.optionalText(node, "status"), Json.instant(node, "created_at"));
  }
}
