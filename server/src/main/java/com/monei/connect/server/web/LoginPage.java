package com.monei.connect.server.web;

import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.LoginAttempts;
import com.monei.connect.server.account.LoginVerifications;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.http.ClientAddress;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** GET/POST /login and POST /logout. */
public final class LoginPage {
  static final String LOGIN_PURPOSE = "login";
  static final String LOGOUT_PURPOSE = "logout";
  private static final String GENERIC_FAILURE = "That email and password do not match an account.";
  /** {@code ?step=expired}: the second step was not taken in time, so the user signs in again. */
  static final String STEP_EXPIRED = "expired";
  private static final String STEP_EXPIRED_MESSAGE =
      "Your sign-in was not finished within 5 minutes. Please sign in again.";

  private final Accounts accounts;
  private final LoginVerifications verifications;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final AppStore apps;

  public LoginPage(Accounts accounts, LoginVerifications verifications, BrowserSessions sessions, Pages pages,
      AppStore apps) {
    this.accounts = accounts;
    this.verifications = verifications;
    this.sessions = sessions;
    this.pages = pages;
    this.apps = apps;
  }

  public void show(Context ctx) {
    String returnTo = ReturnTo.safe(ctx.queryParam("return_to"));
    if (sessions.signedIn(ctx).isPresent()) {
      ctx.redirect(returnTo, HttpStatus.FOUND);
      return;
    }
    String notice = STEP_EXPIRED.equals(ctx.queryParam("step")) ? STEP_EXPIRED_MESSAGE : null;
    render(ctx, 200, sessions.ensure(ctx), "", notice, returnTo);
  }

  public void submit(Context ctx) {
    String returnTo = ReturnTo.safe(ctx.formParam("return_to"));
    String email = ctx.formParam("email");
    Session session = sessions.current(ctx).orElse(null);
    if (session == null || !Csrf.verify(session, LOGIN_PURPOSE, ctx.formParam(Csrf.FIELD))) {
      render(ctx, 403, sessions.ensure(ctx), email, "Your sign-in form expired. Please try again.", returnTo);
      return;
    }
    String password = ctx.formParam("password");
    if (email == null || email.isBlank() || password == null || password.isEmpty()) {
      render(ctx, 400, session, email, "Enter your email and password.", returnTo);
      return;
    }
    Session[] renewed = new Session[1];
    Accounts.SignIn result = accounts.signIn(email, password, ClientAddress.of(ctx).ip(),
        user -> renewed[0] = sessions.renew(session, user.id()));
    if (result instanceof Accounts.SignIn.Ok) {
      sessions.use(ctx, renewed[0]);
      ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
    } else if (result instanceof Accounts.SignIn.SecondStepRequired second) {
      // Not signed in yet: the session stays anonymous until the code is right.
      String id = verifications.start(second.user().id(), returnTo);
      sessions.setPathCookie(ctx, LoginVerifyPage.COOKIE, id, LoginVerifyPage.PATH, LoginVerifications.LIFETIME);
      ctx.redirect(LoginVerifyPage.PATH, HttpStatus.SEE_OTHER);
    } else if (result instanceof Accounts.SignIn.Throttled) {
      ctx.header("Retry-After", String.valueOf(LoginAttempts.WINDOW.toSeconds()));
      render(ctx, 429, session, email, "Too many failed sign-in attempts. Try again in 15 minutes.", returnTo);
    } else {
      render(ctx, 401, session, email, GENERIC_FAILURE, returnTo);
    }
  }

  /**
   * Signs out and shows the login page; with a same-origin {@code return_to} ("Not you?" on the
   * consent screen) the next sign-in goes back there.
   */
  public void logout(Context ctx) {
    Session session = sessions.current(ctx).orElse(null);
    if (session != null && Csrf.verify(session, LOGOUT_PURPOSE, ctx.formParam(Csrf.FIELD))) sessions.signOut(ctx);
    String returnTo = ReturnTo.safe(ctx.formParam("return_to"));
    ctx.redirect(returnTo.equals(ReturnTo.DEFAULT) ? "/login"
        : "/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
  }

  private void render(Context ctx, int status, Session session, String email, String error, String returnTo) {
    pages.render(ctx, status, "login.jte", new Views.Login(email == null ? "" : email, error,
        Csrf.token(session, LOGIN_PURPOSE), returnTo, askingApp(returnTo)));
  }

  /** The name of the app whose authorization request the sign-in returns to; null for anything else. */
  private String askingApp(String returnTo) {
    return ReturnTo.authorizingClientId(returnTo).flatMap(apps::find).map(RegisteredApp::name).orElse(null);
  }
}
