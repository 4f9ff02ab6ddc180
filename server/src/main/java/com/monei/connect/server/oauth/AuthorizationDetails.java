package com.monei.connect.server.oauth;

import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ConsentStore;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Confirmations;
import com.monei.connect.server.wallet.Currency;
import com.monei.connect.server.wallet.Sends;
import com.monei.connect.server.wallet.Wallets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RFC 9396 authorization details of a grant that includes wallet:send (SPEC 1.4, 1.5): its send
 * limit per rolling 24 hours and the amount above which each send needs the user's confirmation, so
 * an app can tell its user before it tries.
 */
public final class AuthorizationDetails {
  public static final String SEND_TYPE = "monei_send";

  private final ConsentStore consents;
  private final Wallets wallets;
  private final Confirmations confirmations;

  public AuthorizationDetails(ConsentStore consents, Wallets wallets, Confirmations confirmations) {
    this.consents = consents;
    this.wallets = wallets;
    this.confirmations = confirmations;
  }

  /** The details for the user's grant to the app, or empty when {@code scopes} lack wallet:send. */
  public Optional<List<Map<String, Object>>> of(String clientId, String userId, Collection<String> scopes) {
    if (!scopes.contains(ScopeCatalog.WALLET_SEND)) return Optional.empty();
    Consent.SendLimit limit =
        consents.find(clientId, userId).map(Consent::sendLimit).orElse(Sends.FALLBACK_LIMIT);
    Currency currency = wallets.currency(limit.currency());
    Map<String, Object> amount = new LinkedHashMap<>();
    amount.put("amount", Amounts.format(limit.amountMinor(), currency));
    amount.put("currency", currency.code());
    amount.put("window_hours", Sends.LIMIT_WINDOW.toHours());
    Map<String, Object> send = new LinkedHashMap<>();
    send.put("type", SEND_TYPE);
    send.put("limit", amount);
    send.put("confirm_above", confirmations.confirmAbove(limit, currency).orElse(null));
    return Optional.of(List.of(send));
  }
}
