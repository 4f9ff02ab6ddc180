package com.monei.connect.server.web;

import com.monei.connect.server.account.LoginAttempts;
import com.monei.connect.server.account.LoginVerifications;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.http.ClientAddress;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * GET/POST /login/verify: the second step of a sign-in (SPEC 7), a plain form that works without
 * JavaScript. The waiting sign-in is found by a cookie for this path only; the form's CSRF token is
 * bound to the browser's (still anonymous) session.
 */
public final class LoginVerifyPage {
  static final String PATH = "/login/verify";
  static final String COOKIE = "monei_login_step";
  private static final String PURPOSE = "login-verify";

  private final LoginVerifications verifications;
  private final BrowserSessions sessions;
  private final Pages pages;

  public LoginVerifyPage(LoginVerifications verifications, BrowserSessions sessions, Pages pages) {
    this.verifications = verifications;
    this.sessions = sessions;
    this.pages = pages;
  }

  public void show(Context ctx) {
    String id = ctx.cookie(COOKIE);
    if (verifications.find(id).isEmpty()) {
      signInAgain(ctx, id);
      return;
    }
    render(ctx, 200, sessions.ensure(ctx), null);
  }

  public void submit(Context ctx) {
    Session session = sessions.current(ctx).orElse(null);
    if (session == null || !Csrf.verify(session, PURPOSE, ctx.formParam(Csrf.FIELD))) {
      render(ctx, 403, sessions.ensure(ctx), "Your form expired. Please enter the code again.");
      return;
    }
    String id = ctx.cookie(COOKIE);
    String code = ctx.formParam("code");
    if (code == null || code.isBlank()) {
      if (verifications.find(id).isEmpty()) {
        signInAgain(ctx, id);
      } else {
        render(ctx, 400, session, "Enter the code from your authenticator app, or a recovery code.");
      }
      return;
    }
    Session[] renewed = new Session[1];
    LoginVerifications.Outcome outcome = verifications.complete(id, code, ClientAddress.of(ctx).ip(),
        userId -> renewed[0] = sessions.renew(session, userId));
    if (outcome instanceof LoginVerifications.Outcome.Ok ok) {
      sessions.use(ctx, renewed[0]);
      sessions.clearPathCookie(ctx, COOKIE, PATH);
      ctx.redirect(ReturnTo.safe(ok.returnTo()), HttpStatus.SEE_OTHER);
    } else if (outcome instanceof LoginVerifications.Outcome.Throttled) {
      ctx.header("Retry-After", String.valueOf(LoginAttempts.WINDOW.toSeconds()));
      render(ctx, 429, session, "Too many failed sign-in attempts. Try again in 15 minutes.");
    } else if (outcome instanceof LoginVerifications.Outcome.Gone gone) {
      redirectToLogin(ctx, gone.returnTo());
    } else {
      render(ctx, 401, session, "That code is not right, or it was used already. Try the next one.");
    }
  }

  /** The sign-in is gone or expired: back to the login form, which says why, for the same destination. */
  private void signInAgain(Context ctx, String id) {
    redirectToLogin(ctx, verifications.returnToOf(id).orElse(ReturnTo.DEFAULT));
  }

  private void redirectToLogin(Context ctx, String returnTo) {
    sessions.clearPathCookie(ctx, COOKIE, PATH);
    ctx.header("Cache-Control", "no-store");
    ctx.redirect("/login?step=" + LoginPage.STEP_EXPIRED + "&return_to="
        + URLEncoder.encode(ReturnTo.safe(returnTo), StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
  }

  private void render(Context ctx, int status, Session session, String error) {
    pages.render(ctx, status, "login_verify.jte", new Views.LoginVerify(error, Csrf.token(session, PURPOSE)));
  }
}
