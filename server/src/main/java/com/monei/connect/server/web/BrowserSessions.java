package com.monei.connect.server.web;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.account.Sessions;
import com.monei.connect.server.http.ClientAddress;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The session cookie: HttpOnly, SameSite=Lax, and Secure whenever the issuer is https or the request
 * came over https (a trusted proxy's X-Forwarded-Proto included).
 */
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

  /** Sends the browser to sign in, then back to {@code returnTo} (a same-origin path). */
  public static void sendToLogin(Context ctx, String returnTo) {
    ctx.header("Cache-Control", "no-store");
    ctx.redirect("/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8), HttpStatus.FOUND);
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

  /**
   * Stores a fresh session for the user in place of {@code old}, whose id stops working. Only the
   * database: it may run inside a transaction on another thread; {@link #use} sets the cookie.
   */
  public Session renew(Session old, String userId) {
    return sessions.renew(old, userId);
  }

  /** Makes {@code session} this browser's session from this response on. */
  public void use(Context ctx, Session session) {
    attach(ctx, session);
  }

  public void signOut(Context ctx) {
    current(ctx).ifPresent(sessions::end);
    ctx.req().removeAttribute(ATTRIBUTE);
    ctx.header("Set-Cookie", cookieName + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + secureAttribute(ctx));
  }

  /**
   * A short-lived cookie beside the session one, for one path only: HttpOnly, Secure like the
   * session's, and SameSite=Strict, since it is only ever set and read within Monei's own pages.
   * Added rather than set, so that it never replaces a session cookie in the same response.
   */
  public void setPathCookie(Context ctx, String name, String value, String path, Duration maxAge) {
    ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge.toSeconds()
        + "; HttpOnly; SameSite=Strict" + secureAttribute(ctx));
  }

  /** Removes a cookie set by {@link #setPathCookie} (same name and path). */
  public void clearPathCookie(Context ctx, String name, String path) {
    setPathCookie(ctx, name, "", path, Duration.ZERO);
  }

  private Session attach(Context ctx, Session session) {
    ctx.attribute(ATTRIBUTE, session);
    ctx.header("Set-Cookie", cookieName + "=" + session.id() + "; Path=/; Max-Age=" + Sessions.LIFETIME.toSeconds()
        + "; HttpOnly; SameSite=Lax" + secureAttribute(ctx));
    return session;
  }

  private String secureAttribute(Context ctx) {
    return secure || ClientAddress.of(ctx).secure() ? "; Secure" : "";
  }
}
