package com.monei.connect.server.account;

import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Starts, finds and ends browser sessions. */
public final class Sessions {
  public static final Duration LIFETIME = Duration.ofHours(12);
  private static final int ID_LENGTH = 43;

  private final SessionStore store;
  private final Clock clock;

  public Sessions(SessionStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
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
    Instant expires = now.plus(LIFETIME);
    store.replace(Hashes.sha256(old.id()), Hashes.sha256(id), userId, now, expires);
    return new Session(id, userId, expires);
  }

  /**
   * The session of a cookie: signed in when the store has it with a user, otherwise anonymous. Any
   * well-formed id is an anonymous session (an expired or ended one included): it grants nothing.
   */
  public Optional<Session> find(String id) {
    if (id == null || id.length() != ID_LENGTH || !TokenFormat.isBase62(id)) return Optional.empty();
    String user = store.findUser(Hashes.sha256(id), clock.instant()).orElse("");
    return Optional.of(new Session(id, user.isEmpty() ? null : user, null));
  }

  public void end(Session session) {
    store.delete(Hashes.sha256(session.id()));
  }
}
