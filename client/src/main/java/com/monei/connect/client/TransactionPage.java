package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One page of a wallet's history, newest first ({@code GET /api/v1/wallet/transactions}).
 *
 * @param data the transactions on this page
 * @param nextCursor pass to {@link WalletApi#transactions(Integer, String)} for the next page; null on the last page
 */
public record TransactionPage(List<Transaction> data, String nextCursor) {

  /** Keeps an unmodifiable copy of the transactions. */
  public TransactionPage {
    data = List.copyOf(data);
  }

  /** True when another page follows. */
  public boolean hasMore() {
    return nextCursor != null;
  }

  /** The cursor of the next page, or empty on the last page. */
  public Optional<String> next() {
    return Optional.ofNullable(nextCursor);
  }

  static TransactionPage parse(JsonNode node) {
    List<Transaction> data = new ArrayList<>();
    for (JsonNode t : Json.array(node, "data")) data.add(Transaction.parse(t));
    return new TransactionPage(data, Json.optionalText(node, "next_cursor"));
  }
}
