package com.monei.connect.example;

import com.monei.connect.client.AuthorizationRequest;
import com.monei.connect.example.Views.Notice;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One browser's session with Your App: who the user is to this app (the key the SDK stores their
 * Monei tokens under), the authorization request in progress, a send waiting for the user's
 * confirmation in Monei, the CSRF token of its forms, and a notice to show once after a redirect.
 */
final class Session {
  /**
   * A send Monei asked the user to confirm: exactly what was sent and its idempotency key, since only
   * the same request with the same key completes once the user confirmed; and where they confirm it.
   */
  record PendingSend(String idempotencyKey, String to, String amount, String currency, String note,
      URI confirmationUrl, Instant expiresAt) {
    PendingSend withConfirmation(URI url, Instant expires) {
      return new PendingSend(idempotencyKey, to, amount, currency, note, url, expires);
    }
  }

  private final String id;
  private final String userKey;
  private final String csrfToken;
  private final AtomicReference<AuthorizationRequest> pending = new AtomicReference<>();
  private final AtomicReference<PendingSend> pendingSend = new AtomicReference<>();
  private final AtomicReference<Notice> notice = new AtomicReference<>();
  private volatile Instant lastSeen;

  Session(String id, String userKey, String csrfToken, Instant now) {
    this.id = id;
    this.userKey = userKey;
    this.csrfToken = csrfToken;
    this.lastSeen = now;
  }

  String id() {
    return id;
  }

  /** The app's identifier for this user; Your App has no accounts of its own, so one browser is one user. */
  String userKey() {
    return userKey;
  }

  String csrfToken() {
    return csrfToken;
  }

  boolean csrfMatches(String presented) {
    return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Keeps the request this browser just started, replacing any earlier one. */
  void startAuthorization(AuthorizationRequest request) {
    pending.set(request);
  }

  /** Takes the pending request out, so two callbacks can never redeem it both; null when there is none. */
  AuthorizationRequest takeAuthorization() {
    return pending.getAndSet(null);
  }

  /** Puts a request back that a forged callback did not use, unless another one was started meanwhile. */
  void restoreAuthorization(AuthorizationRequest request) {
    if (request != null) pending.compareAndSet(null, request);
  }

  /** The send waiting for the user's confirmation, or null. */
  PendingSend pendingSend() {
    return pendingSend.get();
  }

  /** Keeps {@code send} until it completes or is dropped, replacing any earlier one. */
  void holdSend(PendingSend send) {
    pendingSend.set(send);
  }

  /** Forgets any held send: it belonged to the grant this browser just replaced or ended. */
  void dropSend() {
    pendingSend.set(null);
  }

  /** Replaces {@code held} with {@code next} (null drops it), unless another send was held meanwhile. */
  void replaceSend(PendingSend held, PendingSend next) {
    pendingSend.compareAndSet(held, next);
  }

  void flash(Notice value) {
    notice.set(value);
  }

  /** The notice to show now, once; null when there is none. */
  Notice takeNotice() {
    return notice.getAndSet(null);
  }

  Instant lastSeen() {
    return lastSeen;
  }

  void touch(Instant now) {
    lastSeen = now;
  }
}
