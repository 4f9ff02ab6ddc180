package com.monei.connect.server.web;

import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.LoginAttempts;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.account.TwoStepVerification;
import com.monei.connect.server.account.User;
import com.monei.connect.server.http.ClientAddress;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * /account/security (SPEC 7): turning the authenticator app on (a new secret, then a confirming
 * code, then the recovery codes shown once), new recovery codes, and turning it off with the
 * password and a code. Every form is a plain POST with a CSRF token: no JavaScript needed.
 */
public final class SecurityPage {
  static final String PATH = "/account/security";
  static final String TOTP_PATH = PATH + "/totp";
  private static final String PURPOSE = "security";
  private static final String QR_LABEL = "QR code of your authenticator app secret";
  private static final String THROTTLED = "Too many failed attempts. Try again in 15 minutes.";
  /** Fixed texts selected by ?notice=, so nothing from the query string is echoed into the page. */
  private static final Map<String, String> NOTICES = Map.of(
      "off", "Two-step verification is off. Your other sessions were signed out.");

  private final TwoStepVerification twoStep;
  private final PasskeyRoutes passkeys;
  private final Accounts accounts;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final ErrorPages errors;

  public SecurityPage(TwoStepVerification twoStep, PasskeyRoutes passkeys, Accounts accounts,
      BrowserSessions sessions, Pages pages, ErrorPages errors) {
    this.twoStep = twoStep;
    this.passkeys = passkeys;
    this.accounts = accounts;
    this.sessions = sessions;
    this.pages = pages;
    this.errors = errors;
  }

  /** A signed-in user and the session making the request. */
  private record Signed(Session session, User user) {}

  public void show(Context ctx) {
    Optional<Signed> signed = sessions.signedIn(ctx)
        .flatMap(s -> accounts.find(s.userId()).map(u -> new Signed(s, u)));
    if (signed.isEmpty()) {
      BrowserSessions.sendToLogin(ctx, PATH);
      return;
    }
    String notice = NOTICES.get(String.valueOf(ctx.queryParam("notice")));
    render(ctx, 200, signed.get(), null, List.of(), notice, null);
  }

  /** POST /account/security/totp: a new secret to scan, and the form that confirms it. */
  public void startTotp(Context ctx) {
    Optional<Signed> signed = fromForm(ctx);
    if (signed.isEmpty()) return;
    Optional<TwoStepVerification.Enrolment> enrolment = twoStep.start(signed.get().user());
    if (enrolment.isEmpty()) {
      render(ctx, 409, signed.get(), null, List.of(), null,
          "Two-step verification is already on. Turn it off first to set up another app.");
      return;
    }
    render(ctx, 200, signed.get(), view(enrolment.get()), List.of(), null, null);
  }

  /** POST /account/security/totp/confirm: a right code turns it on and shows the recovery codes, once. */
  public void confirmTotp(Context ctx) {
    Optional<Signed> signed = fromForm(ctx);
    if (signed.isEmpty()) return;
    TwoStepVerification.Change change = twoStep.confirm(signed.get().user(), ctx.formParam("code"),
        signed.get().session());
    if (change.check() == TwoStepVerification.Check.OK) {
      render(ctx, 200, signed.get(), null, change.recoveryCodes(),
          "Two-step verification is on. Your other sessions were signed out.", null);
      return;
    }
    Optional<TwoStepVerification.Enrolment> pending = twoStep.pending(signed.get().user());
    if (pending.isEmpty()) {
      render(ctx, 409, signed.get(), null, List.of(), null, "Nothing is being set up. Start again.");
      return;
    }
    render(ctx, 400, signed.get(), view(pending.get()), List.of(), null,
        "That code is not right. Check your app's clock and enter the current code.");
  }

  /** POST /account/security/totp/disable: needs the password and a current code. */
  public void disableTotp(Context ctx) {
    Optional<Signed> signed = fromForm(ctx);
    if (signed.isEmpty()) return;
    TwoStepVerification.Change change = twoStep.disable(signed.get().user(), ctx.formParam("password"),
        ctx.formParam("code"), ClientAddress.of(ctx).ip(), signed.get().session());
    switch (change.check()) {
      case OK -> ctx.redirect(PATH + "?notice=off", HttpStatus.SEE_OTHER);
      case THROTTLED -> throttled(ctx, signed.get());
      case WRONG -> render(ctx, 401, signed.get(), null, List.of(), null,
          "That password or code is not right. Two-step verification is still on.");
    }
  }

  /** POST /account/security/recovery-codes: new codes, shown once, in place of the old ones. */
  public void newRecoveryCodes(Context ctx) {
    Optional<Signed> signed = fromForm(ctx);
    if (signed.isEmpty()) return;
    TwoStepVerification.Change change = twoStep.newRecoveryCodes(signed.get().user(), ctx.formParam("code"),
        ClientAddress.of(ctx).ip(), signed.get().session());
    switch (change.check()) {
      case OK -> render(ctx, 200, signed.get(), null, change.recoveryCodes(),
          "New recovery codes: the old ones no longer work. Your other sessions were signed out.", null);
      case THROTTLED -> throttled(ctx, signed.get());
      case WRONG -> render(ctx, 401, signed.get(), null, List.of(), null, "That code is not right.");
    }
  }

  /** The signed-in user of a form with a valid CSRF token; otherwise answers the form expired. */
  private Optional<Signed> fromForm(Context ctx) {
    Optional<Session> session = sessions.signedIn(ctx);
    Optional<User> user = session.flatMap(s -> accounts.find(s.userId()));
    if (user.isEmpty() || !Csrf.verify(session.get(), PURPOSE, ctx.formParam(Csrf.FIELD))) {
      errors.formExpired(ctx);
      return Optional.empty();
    }
    return Optional.of(new Signed(session.get(), user.get()));
  }

  private void throttled(Context ctx, Signed signed) {
    ctx.header("Retry-After", String.valueOf(LoginAttempts.WINDOW.toSeconds()));
    render(ctx, 429, signed, null, List.of(), null, THROTTLED);
  }

  private static Views.TotpEnrolment view(TwoStepVerification.Enrolment enrolment) {
    return new Views.TotpEnrolment(enrolment.secret(), QrCodes.svg(enrolment.uri(), QR_LABEL));
  }

  private void render(Context ctx, int status, Signed signed, Views.TotpEnrolment enrolment,
      List<String> recoveryCodes, String notice, String error) {
    TwoStepVerification.Status state = twoStep.status(signed.user().id());
    pages.render(ctx, status, "security.jte", new Views.Security(state.enabled(), state.recoveryCodesLeft(),
        enrolment, recoveryCodes, notice, error, Csrf.token(signed.session(), PURPOSE),
        passkeys.section(signed.session(), ctx.queryParam("passkey"))));
  }
}
