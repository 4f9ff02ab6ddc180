package com.monei.connect.example;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Your App's browser sessions, kept in memory because this is a demo app: a restart signs everyone
 * out (and the SDK's default in-memory token store forgets their Monei tokens alike). A real app
 * keeps sessions and tokens in its database. The cookie holds only a random id; it is HttpOnly,
 * SameSite=Lax (so it still arrives on Monei's redirect back, a top-level GET) and Secure over https.
 */
final class Sessions {
  static final Duration IDLE_TIMEOUT = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final String cookieName;
  private final boolean secure;
  private final Clock clock;

  Sessions(String cookieName, boolean secure, Clock clock) {
    this.cookieName = cookieName;
    this.secure = secure;
    this.clock = clock;
  }

  /** This browser's session, or null when it has none (or it expired). */
  Session find(Context ctx) {
    String id = ctx.cookie(cookieName);
    if (id == null) return null;
    Session session = byId.get(id);
    Instant now = clock.instant();
    if (session == null || session.lastSeen().plus(IDLE_TIMEOUT).isBefore(now)) return null;
    session.touch(now);
    return session;
  }

  /** This browser's session, started (and its cookie set) when it has none. */
  Session findOrStart(Context ctx) {
    Session found = find(ctx);
    if (found != null) return found;
    Instant now = clock.instant();
    byId.values().removeIf(s -> s.lastSeen().plus(IDLE_TIMEOUT).isBefore(now));
    Session session = new Session(random(32), "yourapp-user-" + random(12), random(32), now);
    byId.put(session.id(), session);
    ctx.header("Set-Cookie", cookieName + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Lax"
        + (secure ? "; Secure" : ""));
    return session;
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
