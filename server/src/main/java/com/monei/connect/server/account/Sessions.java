package com.monei.connect.server.account;

import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Starts, finds and ends browser sessions. A session ends {@code idle} after its last request and
 * {@link #LIFETIME} after sign-in at the latest; the database holds when it ends, so every server
 * process sees the same.
 */
public final class Sessions {
  public static final Duration LIFETIME = Duration.ofHours(12);
  private static final int ID_LENGTH = 43;
  private static final Duration MAX_STEP = Duration.ofMinutes(1);

  private final SessionStore store;
  private final Clock clock;
  private final Duration idle;
  /**
   * Moving a session's end at every request would make each page view a database write (an
   * fsync on SQLite). It moves only once it is less than {@code idle} away, and then to
   * {@code idle + step} away: at most one write per {@code step} per session, and a session
   * ends between {@code idle} and {@code idle + step} after its last request, never sooner. A
   * tenth of {@code idle}, at most a minute, keeps that slack small against the idle window.
   */
  private final Duration step;

  public Sessions(SessionStore store, Clock clock, Duration idle) {
    this.store = store;
    this.clock = clock;
    this.idle = idle;
    Duration tenth = idle.dividedBy(10);
    this.step = tenth.compareTo(MAX_STEP) < 0 ? tenth : MAX_STEP;
  }

  /**
   * A session before sign-in lives only in its cookie: it carries nothing but the key of the login
   * form's CSRF token, so storing it would only let anyone who loads /login make the database write
   * (and fsync) a row. Sign-in replaces it with a stored session under a new id.
   */
  public Session startAnonymous() {
    return new Session(TokenFormat.randomBase62(ID_LENGTH), null, clock.instant().plus(LIFETIME));
  }

  /**
   * Ends {@code old} and stores a session for {@code userId} under a new id, both or neither: a
   * new id at sign-in defeats session fixation.
   */
  public Session renew(Session old, String userId) {
    String id = TokenFormat.randomBase62(ID_LENGTH);
    Instant now = clock.instant();
    Instant expires = earlier(now.plus(idle).plus(step), now.plus(LIFETIME));
    store.replace(Hashes.sha256(old.id()), Hashes.sha256(id), userId, now, expires);
    return new Session(id, userId, expires);
  }

  /**
   * The session of a cookie: signed in when the store has it with a user, otherwise anonymous. Any
   * well-formed id is an anonymous session (an expired or ended one included): it grants nothing.
   * Finding a stored session is a use of it, which keeps it from ending for {@code idle}.
   */
  public Optional<Session> find(String id) {
    if (id == null || id.length() != ID_LENGTH || !TokenFormat.isBase62(id)) return Optional.empty();
    String hash = Hashes.sha256(id);
    Instant now = clock.instant();
    Optional<SessionStore.Stored> stored = store.find(hash, now);
    if (stored.isEmpty() || stored.get().userId().isEmpty()) return Optional.of(new Session(id, null, null));
    Instant expires = keepAlive(hash, stored.get(), now);
    return Optional.of(new Session(id, stored.get().userId(), expires));
  }

  /** Returns when the session now ends, having moved that later if it was less than {@code idle} away. */
  private Instant keepAlive(String hash, SessionStore.Stored s, Instant now) {
    Instant latest = s.createdAt().plus(LIFETIME);
    if (!s.expiresAt().isBefore(earlier(now.plus(idle), latest))) return s.expiresAt();
    Instant expires = earlier(now.plus(idle).plus(step), latest);
    store.extend(hash, expires);
    return expires;
  }

  public void end(Session session) {
    store.delete(Hashes.sha256(session.id()));
  }

  /**
   * Ends every session of the user but {@code keep} (the caller's own, when a signed-in user made
   * the change; null ends them all), in the caller's transaction if there is one. Returns how many
   * ended. For password and second-step changes, and an operator's reset.
   */
  public int endAllOf(String userId, Session keep) {
    return store.deleteAllOfUser(userId, keep == null ? null : Hashes.sha256(keep.id()));
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
