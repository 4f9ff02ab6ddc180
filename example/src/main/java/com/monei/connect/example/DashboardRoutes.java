package com.monei.connect.example;

import com.monei.connect.client.Balance;
import com.monei.connect.client.ConfirmationRejectedException;
import com.monei.connect.client.ConfirmationRequiredException;
import com.monei.connect.client.Grant;
import com.monei.connect.client.GrantRevokedException;
import com.monei.connect.client.IdempotencyConflictException;
import com.monei.connect.client.InsufficientFundsException;
import com.monei.connect.client.InsufficientScopeException;
import com.monei.connect.client.MoneiApiException;
import com.monei.connect.client.MoneiConnect;
import com.monei.connect.client.RecipientNotFoundException;
import com.monei.connect.client.Scopes;
import com.monei.connect.client.SendLimit;
import com.monei.connect.client.SendLimitExceededException;
import com.monei.connect.client.SendLimits;
import com.monei.connect.client.SendMoney;
import com.monei.connect.client.Transaction;
import com.monei.connect.client.Wallet;
import com.monei.connect.example.Views.Notice;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard, which shows only what the grant allows, and its forms: send (and finish a send the
 * user confirmed in Monei) and disconnect. Every call goes through the SDK, which refreshes tokens by
 * itself; its typed errors become sentences.
 */
final class DashboardRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
  static final String CSRF_FIELD = "csrf_token";
  static final String IDEMPOTENCY_FIELD = "idempotency_key";
  /** Offered in the send form when the grant does not let Your App see which currencies the wallet holds. */
  static final List<String> CURRENCIES = List.of("NGN", "USD", "EUR", "GBP", "KES", "GHS", "ZAR");
  private static final int LATEST_TRANSACTIONS = 5;
  private static final Pattern AMOUNT = Pattern.compile("\\d{1,12}(\\.\\d{1,2})?");
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F-]{36}");
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  static final String REVOKED = "Monei access was revoked; connect again.";
  private static final String UNREACHABLE = "Monei could not be reached. Please try again in a moment.";

  private final MoneiConnect monei;
  private final Sessions sessions;
  private final Pages pages;

  DashboardRoutes(MoneiConnect monei, Sessions sessions, Pages pages) {
    this.monei = monei;
    this.sessions = sessions;
    this.pages = pages;
  }

  void show(Context ctx) {
    Session session = sessions.findOrStart(ctx);
    String user = session.userKey();
    Grant grant = monei.grant(user).orElse(null);
    if (grant == null) {
      ctx.redirect("/", HttpStatus.FOUND);
      return;
    }
    Set<String> missing = new LinkedHashSet<>(grant.missing(Scopes.ALL));
    try {
      Views.Profile profile = null;
      String profileProblem = null;
      if (grant.has(Scopes.PROFILE_READ)) {
        try {
          var me = monei.profile(user).me();
          profile = new Views.Profile(me.name(), me.email());
        } catch (InsufficientScopeException e) {
          missing.add(e.scope() != null ? e.scope() : Scopes.PROFILE_READ);
        } catch (GrantRevokedException e) {
          throw e;
        } catch (MoneiApiException | UncheckedIOException e) {
          profileProblem = problem(e);
        }
      }
      Views.Wallet wallet = null;
      String walletProblem = null;
      List<String> currencies = CURRENCIES;
      if (grant.has(Scopes.WALLET_READ)) {
        try {
          Wallet me = monei.wallet(user).me();
          List<Views.Money> balances = new ArrayList<>();
          for (Balance b : me.balances()) balances.add(new Views.Money(b.currency(), b.availableText()));
          List<Views.Row> rows = new ArrayList<>();
          for (Transaction t : monei.wallet(user).transactions(LATEST_TRANSACTIONS, null).data()) rows.add(row(t));
          wallet = new Views.Wallet(balances, rows);
          if (!balances.isEmpty()) currencies = balances.stream().map(Views.Money::currency).toList();
        } catch (InsufficientScopeException e) {
          missing.add(e.scope() != null ? e.scope() : Scopes.WALLET_READ);
        } catch (GrantRevokedException e) {
          throw e;
        } catch (MoneiApiException | UncheckedIOException e) {
          walletProblem = problem(e);
        }
      }
      Views.SendForm send = null;
      if (grant.has(Scopes.WALLET_SEND) && !missing.contains(Scopes.WALLET_SEND)) {
        Views.SendLimit limit = null;
        try {
          limit = sendLimit(grant, user);
        } catch (InsufficientScopeException e) {
          missing.add(e.scope() != null ? e.scope() : Scopes.WALLET_SEND);
        }
        // Monei refuses a send in another currency than the limit's, so offer only that one.
        if (limit != null) currencies = List.of(limit.currency());
        if (!missing.contains(Scopes.WALLET_SEND))
          send = new Views.SendForm(currencies, UUID.randomUUID().toString(), limit);
      }
      Session.PendingSend held = session.pendingSend();
      Views.PendingSend pending = held == null ? null : new Views.PendingSend(held.currency() + " " + held.amount(),
          held.to(), held.note(), held.confirmationUrl().toString(), WHEN.format(held.expiresAt()));
      List<Views.Unavailable> unavailable = new ArrayList<>();
      for (String scope : missing) {
        unavailable.add(new Views.Unavailable(scope, ScopeTexts.of(scope).unavailable(),
            ScopeTexts.connectUrl(List.of(scope))));
      }
      String askAll = missing.size() > 1 ? ScopeTexts.connectUrl(missing) : null;
      pages.render(ctx, 200, "dashboard.jte", new Views.Dashboard(session.csrfToken(), session.takeNotice(),
          List.copyOf(grant.scopes()), profile, profileProblem, wallet, walletProblem, send, pending, unavailable,
          askAll));
    } catch (GrantRevokedException e) {
      // The SDK has already forgotten the tokens; the user can only connect again.
      pages.render(ctx, 200, "message.jte", new Views.Message("Connect again", REVOKED, "Connect Monei",
          ScopeTexts.connectUrl(ScopeTexts.DEFAULT_SCOPES)));
    }
  }

  /**
   * What the user allowed Your App to send: live from Monei's limits call, or as the grant last stated
   * it when that call fails; null when neither says.
   */
  private Views.SendLimit sendLimit(Grant grant, String user) {
    try {
      SendLimits now = monei.wallet(user).limits();
      return new Views.SendLimit(now.currency(), now.limit().toPlainString(), now.windowHours(),
          now.remaining().toPlainString(), now.confirmAbove().map(BigDecimal::toPlainString).orElse(null));
    } catch (InsufficientScopeException | GrantRevokedException e) {
      throw e;
    } catch (MoneiApiException | UncheckedIOException e) {
      LOG.info("Monei's send limits are unavailable ({}); showing the grant's", e.getMessage());
      return grant.sendLimit().map(l -> new Views.SendLimit(l.currency(), l.amount().toPlainString(), l.windowHours(),
          null, l.confirmAbove().map(BigDecimal::toPlainString).orElse(null))).orElse(null);
    }
  }

  /** {@code POST /send}: the hidden idempotency key makes a double submit one send. */
  void send(Context ctx) {
    Session session = checkedSession(ctx);
    if (session == null) return;
    String to = trimmed(ctx.formParam("to"));
    String amount = trimmed(ctx.formParam("amount"));
    String currency = trimmed(ctx.formParam("currency"));
    String note = trimmed(ctx.formParam("note"));
    String key = trimmed(ctx.formParam(IDEMPOTENCY_FIELD));
    String limitCurrency = monei.grant(session.userKey()).flatMap(Grant::sendLimit).map(SendLimit::currency)
        .orElse(null);
    String refusal = to.isEmpty() ? "Enter the recipient's email address or wallet id."
        : !AMOUNT.matcher(amount).matches() || new BigDecimal(amount).signum() <= 0
            ? "Enter an amount such as 250.00."
        : !currency.matches("[A-Z]{3}") ? "Choose a currency."
        : limitCurrency != null && !limitCurrency.equals(currency)
            ? "Not sent: the sending limit you gave Your App on Monei is in " + limitCurrency
                + ", so Your App can send only " + limitCurrency + "."
        : !UUID_TEXT.matcher(key).matches() ? "The form was incomplete. Please send again." : null;
    if (refusal != null) {
      session.flash(Notice.problem(refusal));
      ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
      return;
    }
    Session.PendingSend attempt = new Session.PendingSend(key, to, amount, currency, note.isEmpty() ? null : note,
        null, null);
    ctx.redirect(attempt(session, attempt, false), HttpStatus.SEE_OTHER);
  }

  /**
   * {@code POST /send/finish}: the user says they confirmed the held send in Monei, so it is sent again
   * exactly as before, with the same idempotency key; Monei completes it once.
   */
  void finishSend(Context ctx) {
    Session session = checkedSession(ctx);
    if (session == null) return;
    Session.PendingSend held = session.pendingSend();
    if (held == null) {
      session.flash(Notice.problem("No payment is waiting for your confirmation."));
      ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
      return;
    }
    ctx.redirect(attempt(session, held, true), HttpStatus.SEE_OTHER);
  }

  /** {@code POST /send/cancel}: forgets the held send; unconfirmed, it never moves money. */
  void cancelSend(Context ctx) {
    Session session = checkedSession(ctx);
    if (session == null) return;
    Session.PendingSend held = session.pendingSend();
    if (held != null) {
      session.replaceSend(held, null);
      session.flash(Notice.ok("Your App forgot the payment of " + held.currency() + " " + held.amount() + " to "
          + held.to() + "; nothing was sent."));
    }
    ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
  }

  /**
   * Sends {@code send} and flashes the outcome; a send Monei wants confirmed is held in the session
   * ({@code held}: it already was). Returns where to go next.
   */
  private String attempt(Session session, Session.PendingSend send, boolean held) {
    String to = send.to();
    String money = send.currency() + " " + send.amount();
    try {
      Transaction sent = monei.wallet(session.userKey())
          .send(SendMoney.of(to, send.amount(), send.currency(), send.note()), send.idempotencyKey());
      if (held) session.replaceSend(send, null);
      String whom = sent.counterparty() != null && sent.counterparty().name() != null
          ? sent.counterparty().name() + " (" + to + ")" : to;
      session.flash(Notice.ok("Sent " + sent.currency() + " " + sent.amountText() + " to " + whom + "."));
      return "/dashboard";
    } catch (ConfirmationRequiredException e) {
      Session.PendingSend waiting = send.withConfirmation(e.confirmationUrl(), e.expiresAt());
      if (held) {
        session.replaceSend(send, waiting);
        session.flash(Notice.problem("Monei has not had your confirmation of " + money + " to " + to
            + " yet. Confirm it in Monei, then finish the send."));
      } else {
        session.holdSend(waiting);
        session.flash(Notice.ok("Nothing has been sent yet: you asked Monei to confirm sends like this one."));
      }
      return "/dashboard";
    } catch (UncheckedIOException e) {
      // Unknown whether Monei got it; the held send (same key) may be finished again safely.
      session.flash(Notice.problem("Not sent: " + problem(e)));
      return "/dashboard";
    } catch (MoneiApiException e) {
      if (held) session.replaceSend(send, null);
      if (e instanceof GrantRevokedException) {
        session.flash(Notice.problem(REVOKED));
        return "/";
      }
      session.flash(Notice.problem(refusal(e, send)));
      return "/dashboard";
    }
  }

  /** Why Monei refused a send, as a sentence for the user. */
  private static String refusal(MoneiApiException e, Session.PendingSend send) {
    String money = send.currency() + " " + send.amount();
    if (e instanceof ConfirmationRejectedException)
      return "You rejected the payment of " + money + " to " + send.to() + " in Monei, so nothing was sent.";
    if (e instanceof InsufficientScopeException scope)
      return "Monei has not allowed Your App to send money. Ask Monei for "
          + (scope.scope() != null ? scope.scope() : Scopes.WALLET_SEND) + " first.";
    if (e instanceof InsufficientFundsException) return "Not sent: your wallet does not hold " + money + ".";
    if (e instanceof SendLimitExceededException)
      return "Not sent: it would pass the 24-hour sending limit you gave Your App on Monei."
          + (e.description() != null ? " " + e.description() : "");
    if (e instanceof RecipientNotFoundException) return "Not sent: no Monei wallet belongs to " + send.to() + ".";
    if (e instanceof IdempotencyConflictException)
      return "Not sent: this form was already used for another payment. Please send again.";
    return "Not sent: " + problem(e);
  }

  /** {@code POST /disconnect}: revokes the grant at Monei and forgets the tokens. */
  void disconnect(Context ctx) {
    Session session = checkedSession(ctx);
    if (session == null) return;
    try {
      monei.disconnect(session.userKey());
      session.dropSend();
      session.flash(Notice.ok("Monei is disconnected. Your App can no longer see or use your wallet."));
      ctx.redirect("/", HttpStatus.SEE_OTHER);
    } catch (MoneiApiException | UncheckedIOException e) {
      session.flash(Notice.problem("Monei could not be disconnected just now: " + problem(e)));
      ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
    }
  }

  /** The session of a form POST whose CSRF token matches; otherwise answers 403 and returns null. */
  private Session checkedSession(Context ctx) {
    Session session = sessions.find(ctx);
    if (session != null && session.csrfMatches(ctx.formParam(CSRF_FIELD))) return session;
    pages.render(ctx, 403, "message.jte", new Views.Message("Form expired",
        "This form is no longer valid, so nothing was done. Open the page again and retry.",
        "Back to Your App", "/"));
    return null;
  }

  private static Views.Row row(Transaction t) {
    String direction = switch (t.type()) {
      case Transaction.SEND -> "Sent";
      case Transaction.RECEIVE -> "Received";
      case Transaction.CREDIT -> "Added";
      default -> t.type();
    };
    String other = t.counterparty() == null ? null
        : t.counterparty().name() != null ? t.counterparty().name() : t.counterparty().walletId();
    String counterparty = other == null ? ""
        : (Transaction.SEND.equals(t.type()) ? "to " : "from ") + other;
    return new Views.Row(direction, t.currency() + " " + t.amountText(), counterparty,
        t.note() == null ? "" : t.note(), WHEN.format(t.createdAt()));
  }

  private static String problem(RuntimeException e) {
    if (e instanceof UncheckedIOException) {
      LOG.warn("Monei unreachable: {}", e.getMessage());
      return UNREACHABLE;
    }
    MoneiApiException api = (MoneiApiException) e;
    LOG.warn("Monei refused a call: {} {}", api.status(), api.error());
    return "Monei answered " + (api.error() != null ? api.error() : "HTTP " + api.status()) + ".";
  }

  private static String trimmed(String value) {
    return value == null ? "" : value.trim();
  }
}
