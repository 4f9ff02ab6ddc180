package com.monei.connect.server.web;

import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.account.User;
import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.oauth.ConsentDecision;
import com.monei.connect.server.oauth.OAuthException;
import com.monei.connect.server.oauth.PendingAuthorization;
import com.monei.connect.server.validation.ValidationException;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Currency;
import com.monei.connect.server.wallet.Wallets;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The consent screen: each requested scope with its own checkbox, Allow and Deny (POST /connect/consent). */
public final class ConsentPage {
  public static final String DEFAULT_SEND_LIMIT = "10000.00";
  public static final String DEFAULT_SEND_CURRENCY = "NGN";

  private final ConsentDecision decision;
  private final AppStore apps;
  private final Accounts accounts;
  private final Wallets wallets;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final ErrorPages errors;

  public ConsentPage(ConsentDecision decision, AppStore apps, Accounts accounts, Wallets wallets,
      BrowserSessions sessions, Pages pages, ErrorPages errors) {
    this.decision = decision;
    this.apps = apps;
    this.accounts = accounts;
    this.wallets = wallets;
    this.sessions = sessions;
    this.pages = pages;
    this.errors = errors;
  }

  static String purpose(String requestId) {
    return "consent:" + requestId;
  }

  /** Renders the screen; {@code ticked} and the limit fields repeat a submission that needs fixing. */
  public void show(Context ctx, int status, Session session, PendingAuthorization request, RegisteredApp app,
      Set<String> alreadyGranted, Set<String> ticked, String sendLimit, String sendCurrency, String error) {
    show(ctx, status, session, request, app, alreadyGranted, ticked, sendLimit, sendCurrency, null, error);
  }

  private void show(Context ctx, int status, Session session, PendingAuthorization request, RegisteredApp app,
      Set<String> alreadyGranted, Set<String> ticked, String sendLimit, String sendCurrency, String confirmAbove,
      String error) {
    User user = accounts.find(request.userId()).orElseThrow();
    Set<String> offered = new LinkedHashSet<>(request.scopes());
    offered.removeAll(alreadyGranted);
    List<Views.ScopeChoice> choices = new ArrayList<>();
    for (var scope : ScopeCatalog.describe(offered)) {
      choices.add(new Views.ScopeChoice(scope, ticked == null || ticked.contains(scope.name())));
    }
    String logoUrl = LogoRoute.urlOf(app);
    pages.render(ctx, status, "consent.jte", new Views.Consent(request.id(), Csrf.token(session, purpose(request.id())),
        app.name(), logoUrl, app.monogram(), user.name(), user.email(), choices,
        ScopeCatalog.describe(alreadyGranted), offered.contains(ScopeCatalog.WALLET_SEND),
        sendLimit == null ? DEFAULT_SEND_LIMIT : sendLimit,
        sendCurrency == null ? DEFAULT_SEND_CURRENCY : sendCurrency, confirmAbove == null ? "" : confirmAbove,
        wallets.currencyCodes(), error,
        URI.create(request.redirectUri()).getHost(), httpsOnly(app.websiteUrl()), httpsOnly(app.privacyUrl()),
        app.verified(), Csrf.token(session, LoginPage.LOGOUT_PURPOSE), ReturnTo.authorizeRequest(request)));
  }

  /** Registration accepts only https links; this keeps any other scheme off the page whatever is stored. */
  private static String httpsOnly(String url) {
    return url != null && url.regionMatches(true, 0, "https://", 0, 8) ? url : null;
  }

  public void submit(Context ctx) {
    String requestId = ctx.formParam("request_id");
    Session session = sessions.signedIn(ctx).orElse(null);
    Optional<PendingAuthorization> found = session == null ? Optional.empty() : decision.pending(requestId, session);
    if (found.isEmpty() || !Csrf.verify(session, purpose(requestId), ctx.formParam(Csrf.FIELD))) {
      errors.show(ctx, 403, "This consent form has expired or did not come from this browser. "
          + "Go back to the app and start again.");
      return;
    }
    PendingAuthorization request = found.get();
    String choice = ctx.formParam("decision");
    if (!"allow".equals(choice) && !"deny".equals(choice)) {
      errors.show(ctx, 400, "Choose Allow or Deny.");
      return;
    }
    Set<String> ticked = new LinkedHashSet<>(ctx.formParams("scope"));
    Consent.SendLimit limit = null;
    String limitText = ctx.formParam("send_limit");
    String limitCurrency = ctx.formParam("send_limit_currency");
    String confirmText = ctx.formParam("send_confirm_above");
    // The limit and the threshold mean something only when sending is allowed; otherwise they are ignored.
    if ("allow".equals(choice) && ticked.contains(ScopeCatalog.WALLET_SEND) && request.scopes().containsAll(ticked)) {
      Currency currency;
      long amount;
      try {
        currency = wallets.currency(limitCurrency == null ? DEFAULT_SEND_CURRENCY : limitCurrency);
        amount = Amounts.parsePositive(limitText == null ? DEFAULT_SEND_LIMIT : limitText.strip(), currency);
      } catch (ValidationException e) {
        refuse(ctx, session, request, ticked, limitText, limitCurrency, confirmText,
            "The sending limit must be a positive amount such as 10000.00 in a supported currency.");
        return;
      }
      Long confirmAbove = null;
      if (confirmText != null && !confirmText.isBlank()) {
        try {
          confirmAbove = Amounts.parseNonNegative(confirmText.strip(), currency);
        } catch (ValidationException e) {
          refuse(ctx, session, request, ticked, limitText, limitCurrency, confirmText,
              "The amount above which you confirm each send must be empty or an amount such as 50.00, "
                  + "in the currency of the limit.");
          return;
        }
      }
      limit = new Consent.SendLimit(amount, currency.code(), confirmAbove);
    }
    try {
      String location = decision.apply(request, new ConsentDecision.Answer("allow".equals(choice), ticked, limit));
      ctx.header("Cache-Control", "no-store");
      ctx.redirect(location, HttpStatus.SEE_OTHER);
    } catch (OAuthException e) {
      errors.show(ctx, e.error().status() == 500 ? 500 : 400, e.error().description());
    }
  }

  private void refuse(Context ctx, Session session, PendingAuthorization request, Set<String> ticked,
      String limitText, String limitCurrency, String confirmText, String message) {
    RegisteredApp app = apps.find(request.clientId()).orElseThrow();
    show(ctx, 400, session, request, app, decision.alreadyGranted(request), ticked, limitText, limitCurrency,
        confirmText, message);
  }
}
