package com.monei.connect.server.web;

import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.account.User;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;

/** GET /: who is signed in, with a sign-out button. */
public final class HomePage {
  private final Accounts accounts;
  private final BrowserSessions sessions;
  private final Pages pages;

  public HomePage(Accounts accounts, BrowserSessions sessions, Pages pages) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.pages = pages;
  }

  public void show(Context ctx) {
    Optional<Session> session = sessions.signedIn(ctx);
    Optional<User> user = session.flatMap(s -> accounts.find(s.userId()));
    if (user.isEmpty()) {
      ctx.redirect("/login", HttpStatus.FOUND);
      return;
    }
    pages.render(ctx, 200, "home.jte", new Views.Home(user.get().name(), user.get().email(),
        Csrf.token(session.get(), LoginPage.LOGOUT_PURPOSE)));
  }
}
