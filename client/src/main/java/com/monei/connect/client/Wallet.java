package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user's wallet ({@code GET /api/v1/wallet/me}, scope {@code wallet:read}).
 *
 * @param walletId Monei's id of the wallet, which others can send money to
 * @param balances one entry per currency the wallet holds
 * @param updatedAt when the balances last changed
 */
public record Wallet(String walletId, List<Balance> balances, Instant updatedAt) {

  /** Keeps an unmodifiable copy of the balances. */
  public Wallet {
    balances = List.copyOf(balances);
  }

  /** The balance in {@code currency} (e.g. {@code "NGN"}), or empty when the wallet holds none. */
  public Optional<Balance> balance(String currency) {
    return balances.stream().filter(b -> b.currency().equalsIgnoreCase(currency)).findFirst();
  }

  static Wallet parse(JsonNode node) {
    List<Balance> balances = new ArrayList<>();
    for (JsonNode b : Json.array(node, "balances")) balances.add(Balance.parse(b));
    return new Wallet(Json.text(node, "wallet_id"), balances, Json.instant(node, "updated_at"));
  }
}
