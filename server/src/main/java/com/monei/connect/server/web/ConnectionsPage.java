package com.monei.connect.server.web;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.consent.Connections;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Wallets;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** GET /account/connections and its Disconnect button. */
public final class ConnectionsPage {
  static final String PATH = "/account/connections";
  private static final String PURPOSE = "connections";

  private final Connections connections;
  private final Wallets wallets;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final ErrorPages errors;

  public ConnectionsPage(Connections connections, Wallets wallets, BrowserSessions sessions, Pages pages,
      ErrorPages errors) {
    this.connections = connections;
    this.wallets = wallets;
    this.sessions = sessions;
    this.pages = pages;
    this.errors = errors;
  }

  public void show(Context ctx) {
    Optional<Session> session = sessions.signedIn(ctx);
    if (session.isEmpty()) {
      BrowserSessions.sendToLogin(ctx, PATH);
      return;
    }
    List<Views.Connection> rows = new ArrayList<>();
    for (Connections.Connection c : connections.of(session.get().userId())) {
      String limit = null;
      if (c.consent().sendLimit() != null && c.consent().scopes().contains(ScopeCatalog.WALLET_SEND)) {
        var currency = wallets.currency(c.consent().sendLimit().currency());
        limit = currency.code() + " " + Amounts.format(c.consent().sendLimit().amountMinor(), currency)
            + " per 24 hours";
      }
      rows.add(new Views.Connection(c.app().clientId(), c.app().name(),
          LogoRoute.urlOf(c.app()), c.app().monogram(),
          ScopeCatalog.describe(c.consent().scopes()), format(c.consent().createdAt()), format(c.lastUsedAt()), limit));
    }
    pages.render(ctx, 200, "connections.jte",
        new Views.Connections(rows, Csrf.token(session.get(), PURPOSE), ctx.queryParam("disconnected")));
  }

  public void disconnect(Context ctx) {
    Optional<Session> session = sessions.signedIn(ctx);
    if (session.isEmpty() || !Csrf.verify(session.get(), PURPOSE, ctx.formParam(Csrf.FIELD))) {
      errors.formExpired(ctx);
      return;
    }
    String clientId = ctx.formParam("client_id");
    if (clientId != null && !clientId.isBlank()) connections.disconnect(session.get().userId(), clientId);
    ctx.redirect(PATH + "?disconnected=1", HttpStatus.SEE_OTHER);
  }

  private static String format(Instant at) {
    return at == null ? "never" : Views.when(at);
  }
}
