package com.monei.connect.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.LoginAttempts;
import com.monei.connect.server.account.Passkeys;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.api.ApiError;
import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.http.ClientAddress;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Confirmation;
import com.monei.connect.server.wallet.Confirmations;
import io.javalin.http.Context;
import com.monei.connect.server.validation.ValidationException;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GET and POST /confirm/{id}: the user's own send confirmation (SPEC 1.6), answered with a fresh proof.
 * Anyone else's, like an unknown id, is a plain 404, so the page says nothing of whether it exists.
 * A user with passkeys may answer with one instead, through the JSON endpoints the page's script
 * calls ({@link #PASSKEY_OPTIONS}, {@link #PASSKEY}); they carry the form's CSRF token in their body
 * and answer errors in the API's JSON shape.
 */
public final class ConfirmationPage {
  static final String PATH = "/confirm/";
  public static final String PASSKEY_OPTIONS = "/confirm/{id}/passkey/options";
  public static final String PASSKEY = "/confirm/{id}/passkey";
  /** The passkey endpoints, whatever the id: their errors are JSON, even those written before a route runs. */
  static final Pattern PASSKEY_PATHS = Pattern.compile("/confirm/[^/]+/passkey(/options)?");
  private static final Pattern ID = Pattern.compile("cfm_[0-9A-Za-z]{22}");
  private static final ApiError SIGN_IN_REQUIRED =
      new ApiError("login_required", "Sign in to Monei to answer this payment request.", 401);
  private static final ApiError EXPIRED =
      new ApiError("invalid_request", "This page expired. Reload it and try again.", 403);
  private static final ApiError ANSWERED = new ApiError("invalid_request",
      "This payment request was already answered or has expired. Reload the page.", 409);
  private static final ApiError NO_PASSKEY = new ApiError("invalid_request",
      "You have no passkey. Answer with your password, or your code when two-step verification is on.", 400);
  private static final ApiError NO_DECISION =
      new ApiError("invalid_request", "decision must be confirm or reject.", 400);
  private static final ApiError PASSKEY_REFUSED = new ApiError("access_denied",
      "That passkey could not be used. Nothing was decided; try again.", 401);
  private static final ApiError THROTTLED = new ApiError("too_many_attempts",
      "Too many failed attempts. Nothing was decided; try again in 15 minutes.", 429);

  private final Confirmations confirmations;
  private final Passkeys passkeys;
  private final AppStore apps;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final ErrorPages errors;

  public ConfirmationPage(Confirmations confirmations, Passkeys passkeys, AppStore apps, BrowserSessions sessions,
      Pages pages, ErrorPages errors) {
    this.confirmations = confirmations;
    this.passkeys = passkeys;
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

  /**
   * POST /confirm/{id}/passkey/options: PublicKeyCredentialRequestOptions for answering the user's own
   * open confirmation with one of their passkeys, with a new challenge bound to this session and
   * this confirmation.
   */
  public void passkeyOptions(Context ctx) {
    JsonNode body = PasskeyRoutes.body(ctx);
    if (body == null) return;
    Optional<Asked> asked = asked(ctx, body);
    if (asked.isEmpty()) return;
    if (!asked.get().shown().open()) {
      PasskeyRoutes.fail(ctx, ANSWERED);
      return;
    }
    Session session = asked.get().session();
    String id = asked.get().shown().confirmation().id();
    Optional<Map<String, Object>> options = passkeys.requestOptionsFor(session.userId(), session, purpose(id));
    if (options.isEmpty()) {
      PasskeyRoutes.fail(ctx, NO_PASSKEY);
      return;
    }
    PasskeyRoutes.answer(ctx, 200, options.get());
  }

  /**
   * POST /confirm/{id}/passkey: the decision and the assertion answering those options. Decided
   * through the same path as the form, so the limits, state change and audit events are the same;
   * on success (or when it was already answered) the answer names the page to show.
   */
  public void decideWithPasskey(Context ctx) {
    JsonNode body = PasskeyRoutes.body(ctx);
    if (body == null) return;
    Optional<Asked> asked = asked(ctx, body);
    if (asked.isEmpty()) return;
    String choice = PasskeyRoutes.text(body, "decision");
    Confirmation.State decision = "confirm".equals(choice) ? Confirmation.State.CONFIRMED
        : "reject".equals(choice) ? Confirmation.State.REJECTED : null;
    if (decision == null) {
      PasskeyRoutes.fail(ctx, NO_DECISION);
      return;
    }
    Session session = asked.get().session();
    String id = asked.get().shown().confirmation().id();
    Confirmations.Answer answer;
    try {
      Passkeys.Assertion assertion = PasskeyRoutes.assertion(body);
      answer = confirmations.decide(session.userId(), id, decision, user -> {
        Passkeys.Proof proof = passkeys.verifyFor(user.id(), session, purpose(id), assertion);
        return proof instanceof Passkeys.Proof.Refused refused
            ? Optional.of("passkey: " + refused.why()) : Optional.empty();
      }, ClientAddress.of(ctx).ip());
    } catch (ValidationException e) {
      PasskeyRoutes.fail(ctx, new ApiError("invalid_request", e.getMessage(), 400));
      return;
    }
    switch (answer) {
      case DECIDED, CLOSED -> PasskeyRoutes.answer(ctx, 200, Map.of("redirect", PATH + id));
      case THROTTLED -> {
        ctx.header("Retry-After", String.valueOf(LoginAttempts.WINDOW.toSeconds()));
        PasskeyRoutes.fail(ctx, THROTTLED);
      }
      case WRONG_PROOF -> PasskeyRoutes.fail(ctx, PASSKEY_REFUSED);
    }
  }

  /** The signed-in user and their own confirmation, for a JSON request with the page's CSRF token. */
  private record Asked(Session session, Confirmations.Shown shown) {}

  private Optional<Asked> asked(Context ctx, JsonNode body) {
    Optional<Session> session = sessions.signedIn(ctx);
    if (session.isEmpty()) {
      PasskeyRoutes.fail(ctx, SIGN_IN_REQUIRED);
      return Optional.empty();
    }
    String id = ctx.pathParam("id");
    Optional<Confirmations.Shown> shown =
        ID.matcher(id).matches() ? confirmations.show(id, session.get().userId()) : Optional.empty();
    if (shown.isEmpty()) {
      PasskeyRoutes.fail(ctx, ApiError.NOT_FOUND);
      return Optional.empty();
    }
    if (!Csrf.verify(session.get(), purpose(id), PasskeyRoutes.text(body, Csrf.FIELD))) {
      PasskeyRoutes.fail(ctx, EXPIRED);
      return Optional.empty();
    }
    return Optional.of(new Asked(session.get(), shown.get()));
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
        !passkeys.of(session.userId()).isEmpty(), outcome, error));
  }
}
