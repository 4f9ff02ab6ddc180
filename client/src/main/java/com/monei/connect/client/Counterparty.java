package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The other side of a transaction.
 *
 * @param walletId the other wallet's id, or null (an operator credit has none)
 * @param name the other side's display name, or null
 */
public record Counterparty(String walletId, String name) {

  static Counterparty parse(JsonNode node) {
    if (node == null || node.isNull()) return null;
    return new Counterparty(Json.optionalText(node, "wallet_id"), Json.optionalText(node, "name"));
  }
}
