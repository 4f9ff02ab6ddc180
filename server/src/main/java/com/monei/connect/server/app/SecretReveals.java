package com.monei.connect.server.app;

import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.ServerKeyCipher;
import com.monei.connect.server.token.ServerKeyStore;
import com.monei.connect.server.token.TokenFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Shows a new client secret once, on a page the browser is sent to after the POST that made it
 * (post/redirect/get), so that reloading neither registers a second app nor shows the secret again.
 *
 * <p>The secret must not reach the database, not even encrypted (only hashes of secrets are
 * stored), and no server process may hold it either (any process may serve the next request). So
 * it travels with the browser: {@link #seal} encrypts it with AES-256-GCM under a server key kept
 * for this purpose alone, into a value the portal puts in a short-lived HttpOnly cookie scoped to
 * the page that shows it. What makes the showing single-use is a database row, stored by the hash
 * of a random reveal id: {@link #open} deletes it, so of any number of requests carrying the cookie
 * (a reload, a copied cookie, two processes at once) at most one sees the secret. The row and the
 * sealed value are both bound to the signed-in session that made them and to the app: another
 * session, even of the same user, gets nothing, and the reveal expires after {@link #LIFETIME}.
 */
public final class SecretReveals {
  /** How long the browser has to follow the redirect and show the secret. */
  public static final Duration LIFETIME = Duration.ofMinutes(10);
  /** A key of its own: the refresh-rotation HMAC key is never used to encrypt anything. */
  private static final String KEY_NAME = "secret-reveal";
  private static final int ID_LENGTH = TokenFormat.RANDOM_LENGTH;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** Why a secret is being shown: the pages word it differently. */
  public enum Occasion { REGISTERED, ROTATED }

  /** A secret opened for showing, and why. */
  public record Reveal(String clientSecret, Occasion occasion) {}

  private final SecretRevealStore store;
  private final ServerKeyCipher cipher;
  private final Clock clock;

  public SecretReveals(SecretRevealStore store, ServerKeyStore keys, Clock clock) {
    this.store = store;
    this.cipher = new ServerKeyCipher(keys, KEY_NAME);
    this.clock = clock;
  }

  /**
   * Records a reveal of {@code clientSecret} for the session {@code sessionId} (the raw cookie value)
   * and returns the sealed value to hand to that browser; only {@link #open} with the same session
   * and app turns it back into the secret, once.
   */
  public String seal(String clientId, String sessionId, String clientSecret, Occasion occasion) {
    String id = TokenFormat.randomBase62(ID_LENGTH);
    byte[] sealed = cipher.seal(aad(id, clientId, sessionId), clientSecret.getBytes(StandardCharsets.UTF_8));
    store.save(Hashes.sha256(id), Hashes.sha256(sessionId), clientId, occasion, clock.instant().plus(LIFETIME));
    return id + "." + B64.encodeToString(sealed);
  }

  /**
   * The secret sealed in {@code sealed}, the first time it is opened by the session and for the app
   * it was sealed for, before it expires; empty otherwise, and for anything malformed or forged.
   */
  public Optional<Reveal> open(String clientId, String sessionId, String sealed) {
    if (sealed == null || clientId == null || sessionId == null) return Optional.empty();
    int dot = sealed.indexOf('.');
    if (dot != ID_LENGTH || !TokenFormat.isBase62(sealed.substring(0, dot))) return Optional.empty();
    String id = sealed.substring(0, dot);
    byte[] box;
    try {
      box = Base64.getUrlDecoder().decode(sealed.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Optional<byte[]> opened = cipher.open(aad(id, clientId, sessionId), box);
    if (opened.isEmpty()) return Optional.empty();
    byte[] secret = opened.get();
    return store.consume(Hashes.sha256(id), Hashes.sha256(sessionId), clientId, clock.instant())
        .map(occasion -> new Reveal(new String(secret, StandardCharsets.UTF_8), occasion));
  }

  /** What the ciphertext is bound to: a sealed value moved to another app, session or reveal fails to open. */
  private static byte[] aad(String id, String clientId, String sessionId) {
    return ("monei secret reveal\n" + Hashes.sha256(id) + "\n" + clientId + "\n" + Hashes.sha256(sessionId))
        .getBytes(StandardCharsets.UTF_8);
  }
}
