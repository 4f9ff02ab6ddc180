package com.monei.connect.server.web;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.consent.Connections;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.validation.ValidationException;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Confirmations;
import com.monei.connect.server.wallet.Currency;
import com.monei.connect.server.wallet.Wallets;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** GET /account/connections, its Disconnect button and the form that lowers an app's send limit. */
public final class ConnectionsPage {
  static final String PATH = "/account/connections";
  private static final String PURPOSE = "connections";

  private final Connections connections;
  private final Wallets wallets;
  private final Confirmations confirmations;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final ErrorPages errors;

  public ConnectionsPage(Connections connections, Wallets wallets, Confirmations confirmations,
      BrowserSessions sessions, Pages pages, ErrorPages errors) {
    this.connections = connections;
    this.wallets = wallets;
    this.confirmations = confirmations;
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
    String notice = ctx.queryParam("disconnected") != null
        ? "The app was disconnected. It can no longer use your wallet."
        : ctx.queryParam("limits") != null ? "The sending limit was changed." : null;
    render(ctx, 200, session.get(), notice, null);
  }

  private void render(Context ctx, int status, Session session, String notice, String error) {
    List<Views.Connection> rows = new ArrayList<>();
    for (Connections.Connection c : connections.of(session.userId())) {
      Views.SendLimit limit = null;
      Consent.SendLimit sendLimit = c.consent().sendLimit();
      if (sendLimit != null && c.consent().scopes().contains(ScopeCatalog.WALLET_SEND)) {
        Currency currency = wallets.currency(sendLimit.currency());
        String amount = Amounts.format(sendLimit.amountMinor(), currency);
        String own =
            sendLimit.confirmAboveMinor() == null ? "" : Amounts.format(sendLimit.confirmAboveMinor(), currency);
        String confirmAbove = confirmations.confirmAbove(sendLimit, currency).map(t -> currency.code() + " " + t)
            .orElse(null);
        limit = new Views.SendLimit(currency.code() + " " + amount + " per 24 hours", amount, currency.code(), own,
            confirmAbove);
      }
      rows.add(new Views.Connection(c.app().clientId(), c.app().name(),
          LogoRoute.urlOf(c.app()), c.app().monogram(),
          ScopeCatalog.describe(c.consent().scopes()), format(c.consent().createdAt()), format(c.lastUsedAt()),
          limit == null ? null : limit.text(), limit));
    }
    ctx.header("Cache-Control", "no-store");
    pages.render(ctx, status, "connections.jte",
        new Views.Connections(rows, Csrf.token(session, PURPOSE), notice, error));
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

  /**
   * Lowers an app's send limit or its threshold for confirmations (fields {@code send_limit} and
   * {@code send_confirm_above}, in the limit's currency). Raising either needs a new consent.
   */
  public void lowerLimit(Context ctx) {
    Optional<Session> session = sessions.signedIn(ctx);
    if (session.isEmpty() || !Csrf.verify(session.get(), PURPOSE, ctx.formParam(Csrf.FIELD))) {
      errors.formExpired(ctx);
      return;
    }
    String userId = session.get().userId();
    String clientId = ctx.formParam("client_id");
    Optional<Consent.SendLimit> current = clientId == null ? Optional.empty() : connections.of(userId).stream()
        .filter(c -> c.app().clientId().equals(clientId)).map(c -> c.consent().sendLimit())
        .filter(l -> l != null).findFirst();
    if (current.isEmpty()) {
      render(ctx, 400, session.get(), null, "That app has no sending limit to change.");
      return;
    }
    Currency currency = wallets.currency(current.get().currency());
    long limit;
    Long confirmAbove = null;
    try {
      String limitText = ctx.formParam("send_limit");
      limit = limitText == null || limitText.isBlank() ? current.get().amountMinor()
          : Amounts.parsePositive(limitText.strip(), currency);
      String confirmText = ctx.formParam("send_confirm_above");
      if (confirmText != null && !confirmText.isBlank())
        confirmAbove = Amounts.parseNonNegative(confirmText.strip(), currency);
    } catch (ValidationException e) {
      render(ctx, 400, session.get(), null, "Amounts must look like 1000.00, in " + currency.code() + ".");
      return;
    }
    switch (connections.lowerSendLimit(userId, clientId, limit, confirmAbove)) {
      case CHANGED -> ctx.redirect(PATH + "?limits=1", HttpStatus.SEE_OTHER);
      case NEEDS_CONSENT -> render(ctx, 400, session.get(), null, "You can only lower the limit and the amount above "
          + "which you confirm sends here. To raise or remove them, connect the app again from the app.");
      case NOT_CONNECTED -> render(ctx, 400, session.get(), null, "That app has no sending limit to change.");
    }
  }

  private static String format(Instant at) {
    return at == null ? "never" : Views.when(at);
  }
}
