package com.monei.connect.server.web;

import com.monei.connect.server.account.LoginAttempts;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.api.ApiError;
import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.http.ClientAddress;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Confirmation;
import com.monei.connect.server.wallet.Confirmations;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GET and POST /confirm/{id}: the user's own send confirmation (SPEC 1.6), answered with a fresh proof.
 * Anyone else's, like an unknown id, is a plain 404, so the page says nothing of whether it exists.
 */
public final class ConfirmationPage {
  static final String PATH = "/confirm/";
  private static final Pattern ID = Pattern.compile("cfm_[0-9A-Za-z]{22}");

  private final Confirmations confirmations;
  private final AppStore apps;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final ErrorPages errors;

  public ConfirmationPage(Confirmations confirmations, AppStore apps, BrowserSessions sessions, Pages pages,
      ErrorPages errors) {
    this.confirmations = confirmations;
    this.apps = apps;
    this.sessions = sessions;
    this.pages = pages;
    this.errors = errors;
  }

  private static String purpose(String id) {
    return "confirm:" + id;
  }

  public void show(Context ctx) {
    String id = ctx.pathParam("id");
    Optional<Session> session = sessions.signedIn(ctx);
    if (!ID.matcher(id).matches()) {
      errors.show(ctx, ApiError.NOT_FOUND);
      return;
    }
    if (session.isEmpty()) {
      BrowserSessions.sendToLogin(ctx, PATH + id);
      return;
    }
    Optional<Confirmations.Shown> shown = confirmations.show(id, session.get().userId());
    if (shown.isEmpty()) {
      errors.show(ctx, ApiError.NOT_FOUND);
      return;
    }
    render(ctx, 200, session.get(), shown.get(), null);
  }

  public void decide(Context ctx) {
    String id = ctx.pathParam("id");
    Optional<Session> session = sessions.signedIn(ctx);
    if (session.isEmpty()) {
      errors.formExpired(ctx);
      return;
    }
    Optional<Confirmations.Shown> shown =
        ID.matcher(id).matches() ? confirmations.show(id, session.get().userId()) : Optional.empty();
    if (shown.isEmpty()) {
      errors.show(ctx, ApiError.NOT_FOUND);
      return;
    }
    if (!Csrf.verify(session.get(), purpose(id), ctx.formParam(Csrf.FIELD))) {
      errors.formExpired(ctx);
      return;
    }
    String choice = ctx.formParam("decision");
    Confirmation.State decision = "confirm".equals(choice) ? Confirmation.State.CONFIRMED
        : "reject".equals(choice) ? Confirmation.State.REJECTED : null;
    if (decision == null) {
      render(ctx, 400, session.get(), shown.get(), "Choose Confirm or Reject.");
      return;
    }
    boolean code = shown.get().asksForCode();
    String proof = ctx.formParam(code ? "code" : "password");
    if (proof == null || proof.isBlank()) {
      render(ctx, 400, session.get(), shown.get(),
          code ? "Enter the code from your authenticator app." : "Enter your password.");
      return;
    }
    // A password is taken as typed; a code as digits, whatever spaces the user copied around it.
    String given = code ? proof.strip() : proof;
    switch (confirmations.decide(session.get().userId(), id, decision, given, ClientAddress.of(ctx).ip())) {
      case DECIDED, CLOSED -> {
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(PATH + id, HttpStatus.SEE_OTHER);
      }
      case THROTTLED -> {
        ctx.header("Retry-After", String.valueOf(LoginAttempts.WINDOW.toSeconds()));
        render(ctx, 429, session.get(), shown.get(),
            "Too many failed attempts. Nothing was decided; try again in 15 minutes.");
      }
      case WRONG_PROOF -> render(ctx, 401, session.get(), shown.get(), code
          ? "That code is not right. Nothing was decided; try again."
          : "That password is not right. Nothing was decided; try again.");
    }
  }

  private void render(Context ctx, int status, Session session, Confirmations.Shown shown, String error) {
    Confirmation c = shown.confirmation();
    String appName = apps.find(c.clientId()).map(RegisteredApp::name).orElse("An app");
    String outcome = switch (c.state()) {
      case CONFIRMED -> "You confirmed this payment. " + appName + " can now complete it.";
      case REJECTED -> "You rejected this payment. Nothing was sent.";
      case PENDING -> shown.open() ? null : "This request has expired. Nothing was sent; the app may ask again.";
    };
    ctx.header("Cache-Control", "no-store");
    pages.render(ctx, status, "confirm.jte", new Views.SendConfirmation(c.id(), Csrf.token(session, purpose(c.id())),
        appName, Amounts.format(c.amountMinor(), shown.currency()), shown.currency().code(), shown.recipientName(),
        shown.recipientEmail(), c.recipientWalletId(), c.note(), Views.when(c.expiresAt()), shown.asksForCode(),
        outcome, error));
  }
}
