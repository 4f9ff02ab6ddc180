package com.monei.connect.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.http.JsonBody;
import com.monei.connect.server.http.JsonErrorWriter;
import com.monei.connect.server.http.RequestId;
import com.monei.connect.server.token.AccessGrant;
import com.monei.connect.server.validation.ValidationException;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Balance;
import com.monei.connect.server.wallet.IdempotencyStore;
import com.monei.connect.server.wallet.LedgerEntry;
import com.monei.connect.server.wallet.Sends;
import com.monei.connect.server.wallet.Wallet;
import com.monei.connect.server.wallet.Wallets;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /api/v1/wallet/me, GET /api/v1/wallet/transactions, POST /api/v1/wallet/send, GET /api/v1/wallet/limits. */
public final class WalletRoutes {
  public static final int DEFAULT_PAGE = 20;
  public static final int MAX_PAGE = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BearerAuth auth;
  private final Wallets wallets;
  private final Sends sends;
  private final String issuer;

  /** {@code issuer} is where the user confirms a send: {@code <issuer>/confirm/cfm_...}. */
  public WalletRoutes(BearerAuth auth, Wallets wallets, Sends sends, String issuer) {
    this.auth = auth;
    this.wallets = wallets;
    this.sends = sends;
    this.issuer = issuer;
  }

  public void me(Context ctx) {
    AccessGrant grant = auth.require(ctx, ScopeCatalog.WALLET_READ);
    Wallet wallet = wallets.walletOf(grant.userId());
    List<Map<String, Object>> balances = new ArrayList<>();
    for (Balance b : wallet.balances()) {
      Map<String, Object> balance = new LinkedHashMap<>();
      balance.put("currency", b.currency().code());
      balance.put("available", Amounts.format(b.availableMinor(), b.currency()));
      balances.add(balance);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("wallet_id", wallet.id());
    body.put("balances", balances);
    body.put("updated_at", wallet.updatedAt().toString());
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  public void transactions(Context ctx) {
    AccessGrant grant = auth.require(ctx, ScopeCatalog.WALLET_READ);
    int limit = pageSize(ctx.queryParam("limit"));
    Sends.Page page;
    try {
      page = sends.history(grant.userId(), ctx.queryParam("cursor"), limit);
    } catch (Sends.Rejected e) {
      throw invalid(e.getMessage());
    }
    List<Map<String, Object>> data = new ArrayList<>();
    for (LedgerEntry entry : page.entries()) data.add(transaction(entry));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("data", data);
    body.put("next_cursor", page.nextCursor());
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  public void send(Context ctx) {
    AccessGrant grant = auth.require(ctx, ScopeCatalog.WALLET_SEND);
    Sends.SendRequest request = parseSend(ctx.body());
    Sends.Result result;
    try {
      result = sends.send(grant.userId(), grant.clientId(), ctx.header("Idempotency-Key"), request, ctx.body(),
          this::render);
    } catch (Sends.Rejected e) {
      ApiError error = e.conflict ? ApiError.IDEMPOTENCY_KEY_REUSED : ApiError.INVALID_REQUEST;
      throw new ApiException(error.withDescription(e.getMessage()));
    }
    if (result.replayed()) ctx.header("Idempotent-Replayed", "true");
    ctx.header("Cache-Control", "no-store");
    ctx.status(result.status()).contentType("application/json").result(withRequestId(ctx, result));
  }

  /** A stored error answers this request, so it carries this request's id, not the one that stored it. */
  private static String withRequestId(Context ctx, Sends.Result result) {
    if (result.status() < 400) return result.body();
    try {
      ObjectNode body = (ObjectNode) JSON.readTree(result.body());
      body.put("request_id", RequestId.of(ctx));
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalStateException("a stored send answer is not a JSON object", e);
    }
  }

  public void limits(Context ctx) {
    AccessGrant grant = auth.require(ctx, ScopeCatalog.WALLET_SEND);
    Sends.Limits limits = sends.limits(grant.userId(), grant.clientId());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("currency", limits.currency().code());
    body.put("limit", Amounts.format(limits.limitMinor(), limits.currency()));
    body.put("used", Amounts.format(limits.usedMinor(), limits.currency()));
    body.put("remaining", Amounts.format(limits.remainingMinor(), limits.currency()));
    body.put("window_hours", Sends.LIMIT_WINDOW.toHours());
    body.put("confirm_above", limits.confirmAbove().orElse(null));
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  private IdempotencyStore.Stored render(Sends.Outcome outcome) {
    if (outcome instanceof Sends.Outcome.Completed c) return stored(201, transaction(c.entry()));
    ApiError error;
    if (outcome instanceof Sends.Outcome.InsufficientFunds) {
      error = ApiError.INSUFFICIENT_FUNDS;
    } else if (outcome instanceof Sends.Outcome.LimitExceeded exceeded) {
      var limit = exceeded.limit();
      var currency = wallets.currency(limit.currency());
      String allowed = currency.code() + " " + Amounts.format(limit.amountMinor(), currency);
      // The user set one limit in one currency, so other currencies have nothing allowed.
      error = ApiError.SEND_LIMIT_EXCEEDED.withDescription(exceeded.otherCurrency()
          ? "The user allowed this app to send only " + currency.code() + " (at most " + allowed + " in any 24 hours)."
          : "This app may send at most " + allowed + " in any 24 hours; this send would exceed it.");
    } else if (outcome instanceof Sends.Outcome.ConfirmationRequired required) {
      String id = required.confirmation().id();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("confirmation_id", id);
      details.put("confirmation_url", issuer + "/confirm/" + id);
      details.put("expires_in", required.expiresIn());
      error = ApiError.CONFIRMATION_REQUIRED.withDetails(details);
    } else if (outcome instanceof Sends.Outcome.ConfirmationRejected) {
      error = ApiError.CONFIRMATION_REJECTED;
    } else {
      error = ApiError.RECIPIENT_NOT_FOUND;
    }
    return stored(error.status(), JsonErrorWriter.body(error));
  }

  private static IdempotencyStore.Stored stored(int status, Map<String, Object> body) {
    try {
      return new IdempotencyStore.Stored(null, status, JSON.writeValueAsString(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> transaction(LedgerEntry e) {
    Map<String, Object> counterparty = new LinkedHashMap<>();
    counterparty.put("wallet_id", e.counterpartyWalletId());
    counterparty.put("name", e.counterpartyName());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", e.id());
    t.put("type", e.type());
    t.put("amount", Amounts.format(e.amountMinor(), e.currency()));
    t.put("currency", e.currency().code());
    t.put("counterparty", counterparty);
    t.put("note", e.note());
    t.put("status", "completed");
    t.put("created_at", e.createdAt().toString());
    return t;
  }

  private static Sends.SendRequest parseSend(String body) {
    JsonNode node;
    try {
      node = JsonBody.object(body, "{\"to\", \"amount\", \"currency\", \"note\"}.");
    } catch (ValidationException e) {
      throw invalid(e.getMessage());
    }
    return new Sends.SendRequest(text(node, "to"), text(node, "amount"), text(node, "currency"), text(node, "note"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw invalid("\"" + field + "\" must be a string" + (field.equals("amount") ? " such as \"1500.00\"." : "."));
    return value.asText();
  }

  private static int pageSize(String text) {
    if (text == null || text.isEmpty()) return DEFAULT_PAGE;
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= MAX_PAGE) return n;
    } catch (NumberFormatException ignored) {
      // falls through to the error
    }
    throw invalid("limit must be a whole number from 1 to " + MAX_PAGE + ".");
  }

  private static ApiException invalid(String description) {
    return new ApiException(ApiError.INVALID_REQUEST.withDescription(description));
  }
}
