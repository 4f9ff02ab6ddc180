package com.monei.connect.example;

import com.monei.connect.client.Balance;
import com.monei.connect.client.Grant;
import com.monei.connect.client.GrantRevokedException;
import com.monei.connect.client.IdempotencyConflictException;
import com.monei.connect.client.InsufficientFundsException;
import com.monei.connect.client.InsufficientScopeException;
import com.monei.connect.client.MoneiApiException;
import com.monei.connect.client.MoneiConnect;
import com.monei.connect.client.RecipientNotFoundException;
import com.monei.connect.client.Scopes;
import com.monei.connect.client.SendLimitExceededException;
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
 * The dashboard, which shows only what the grant allows, and its two forms: send and disconnect.
 * Every call goes through the SDK, which refreshes tokens by itself; its typed errors become sentences.
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
      Views.SendForm send = grant.has(Scopes.WALLET_SEND) && !missing.contains(Scopes.WALLET_SEND)
          ? new Views.SendForm(currencies, UUID.randomUUID().toString()) : null;
      List<Views.Unavailable> unavailable = new ArrayList<>();
      for (String scope : missing) {
        unavailable.add(new Views.Unavailable(scope, ScopeTexts.of(scope).unavailable(),
            ScopeTexts.connectUrl(List.of(scope))));
      }
      String askAll = missing.size() > 1 ? ScopeTexts.connectUrl(missing) : null;
      pages.render(ctx, 200, "dashboard.jte", new Views.Dashboard(session.csrfToken(), session.takeNotice(),
          List.copyOf(grant.scopes()), profile, profileProblem, wallet, walletProblem, send, unavailable, askAll));
    } catch (GrantRevokedException e) {
      // The SDK has already forgotten the tokens; the user can only connect again.
      pages.render(ctx, 200, "message.jte", new Views.Message("Connect again", REVOKED, "Connect Monei",
          ScopeTexts.connectUrl(ScopeTexts.DEFAULT_SCOPES)));
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
    String refusal = to.isEmpty() ? "Enter the recipient's email address or wallet id."
        : !AMOUNT.matcher(amount).matches() || new BigDecimal(amount).signum() <= 0
            ? "Enter an amount such as 250.00."
        : !currency.matches("[A-Z]{3}") ? "Choose a currency."
        : !UUID_TEXT.matcher(key).matches() ? "The form was incomplete. Please send again." : null;
    if (refusal != null) {
      session.flash(Notice.problem(refusal));
      ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
      return;
    }
    String target = "/dashboard";
    try {
      Transaction sent = monei.wallet(session.userKey())
          .send(SendMoney.of(to, amount, currency, note.isEmpty() ? null : note), key);
      String whom = sent.counterparty() != null && sent.counterparty().name() != null
          ? sent.counterparty().name() + " (" + to + ")" : to;
      session.flash(Notice.ok("Sent " + sent.currency() + " " + sent.amountText() + " to " + whom + "."));
    } catch (InsufficientScopeException e) {
      session.flash(Notice.problem("Monei has not allowed Your App to send money. Ask Monei for "
          + (e.scope() != null ? e.scope() : Scopes.WALLET_SEND) + " first."));
    } catch (InsufficientFundsException e) {
      session.flash(Notice.problem("Not sent: your wallet does not hold " + currency + " " + amount + "."));
    } catch (SendLimitExceededException e) {
      session.flash(Notice.problem("Not sent: it would pass the 24-hour sending limit you gave Your App on Monei."
          + (e.description() != null ? " " + e.description() : "")));
    } catch (RecipientNotFoundException e) {
      session.flash(Notice.problem("Not sent: no Monei wallet belongs to " + to + "."));
    } catch (IdempotencyConflictException e) {
      session.flash(Notice.problem("Not sent: this form was already used for another payment. Please send again."));
    } catch (GrantRevokedException e) {
      session.flash(Notice.problem(REVOKED));
      target = "/";
    } catch (MoneiApiException | UncheckedIOException e) {
      session.flash(Notice.problem("Not sent: " + problem(e)));
    }
    ctx.redirect(target, HttpStatus.SEE_OTHER);
  }

  /** {@code POST /disconnect}: revokes the grant at Monei and forgets the tokens. */
  void disconnect(Context ctx) {
    Session session = checkedSession(ctx);
    if (session == null) return;
    try {
      monei.disconnect(session.userKey());
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
