package com.monei.connect.server.web;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.account.Sessions;
import io.javalin.http.Context;
import java.util.Optional;

/** The session cookie: HttpOnly, SameSite=Lax, and Secure whenever the issuer is https. */
public final class BrowserSessions {
  private static final String ATTRIBUTE = "monei.session";

  private final Sessions sessions;
  private final String cookieName;
  private final boolean secure;

  public BrowserSessions(Sessions sessions, String cookieName, boolean secure) {
    this.sessions = sessions;
    this.cookieName = cookieName;
    this.secure = secure;
  }

  public Optional<Session> current(Context ctx) {
    Session cached = ctx.attribute(ATTRIBUTE);
    if (cached != null) return Optional.of(cached);
    Optional<Session> found = sessions.find(ctx.cookie(cookieName));
    found.ifPresent(s -> ctx.attribute(ATTRIBUTE, s));
    return found;
  }

  public Optional<Session> signedIn(Context ctx) {
    return current(ctx).filter(Session::signedIn);
  }

  /** The current session, or a new anonymous one so that a form can carry a CSRF token. */
  public Session ensure(Context ctx) {
    return current(ctx).orElseGet(() -> attach(ctx, sessions.startAnonymous()));
  }

  /** Replaces the session with a fresh one for the user; the old id stops working. */
  public Session signIn(Context ctx, String userId) {
    Optional<Session> old = current(ctx);
    return attach(ctx, old.isPresent() ? sessions.renew(old.get(), userId) : sessions.start(userId));
  }

  public void signOut(Context ctx) {
    current(ctx).ifPresent(sessions::end);
    ctx.req().removeAttribute(ATTRIBUTE);
    ctx.header("Set-Cookie", cookieName + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
  }

  private Session attach(Context ctx, Session session) {
    ctx.attribute(ATTRIBUTE, session);
    ctx.header("Set-Cookie", cookieName + "=" + session.id() + "; Path=/; Max-Age=" + Sessions.LIFETIME.toSeconds()
        + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    return session;
  }
}
