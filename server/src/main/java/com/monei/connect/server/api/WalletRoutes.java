package com.monei.connect.server.api;

import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.AccessGrant;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Balance;
import com.monei.connect.server.wallet.Wallet;
import com.monei.connect.server.wallet.Wallets;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /api/v1/wallet/me. */
public final class WalletRoutes {
  private final BearerAuth auth;
  private final Wallets wallets;

  public WalletRoutes(BearerAuth auth, Wallets wallets) {
    this.auth = auth;
    this.wallets = wallets;
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
}
