package com.monei.connect.client;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * The send is above the amount the user wants to confirm each time ({@code 403 confirmation_required});
 * nothing moved yet. Send the user to {@link #confirmationUrl()}, where Monei shows the payment and
 * asks them to confirm or reject it; when they come back, call
 * {@link WalletApi#send(SendMoney, String)} again with the <em>same</em> request and idempotency key:
 *
 * <pre>{@code
 * String key = UUID.randomUUID().toString();            // once per payment the user intends
 * try {
 *   show(monei.wallet(user).send(payment, key));
 * } catch (ConfirmationRequiredException e) {
 *   session.put("pending", new Pending(payment, key));  // keep both for the retry
 *   showLink("Confirm this payment in Monei", e.confirmationUrl());
 * }
 *
 * // "I've confirmed — finish the send":
 * try {
 *   show(monei.wallet(user).send(pending.payment(), pending.key()));   // executes once
 * } catch (ConfirmationRequiredException e) {
 *   showLink("Not confirmed yet", e.confirmationUrl());  // the same confirmation until the user acts
 * } catch (ConfirmationRejectedException e) {
 *   session.remove("pending");                           // the user said no; nothing moved
 * }
 * }</pre>
 *
 * <p>A confirmation covers exactly that request, key, app and user; a changed amount or a new key
 * asks again. After {@link #expiresAt()} an unanswered confirmation lapses and the same retry
 * answers with a new one.
 */
public class ConfirmationRequiredException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  private final String confirmationId;
  private final URI confirmationUrl;
  private final Instant expiresAt;

  /** A 403 confirmation_required naming the confirmation, where the user answers it, and until when. */
  public ConfirmationRequiredException(int status, String error, String description, String confirmationId,
      URI confirmationUrl, Instant expiresAt) {
    super(status, error, description);
    this.confirmationId = Objects.requireNonNull(confirmationId, "confirmationId");
    this.confirmationUrl = Objects.requireNonNull(confirmationUrl, "confirmationUrl");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Monei's id of the confirmation, {@code cfm_…}. */
  public String confirmationId() {
    return confirmationId;
  }

  /** The page on Monei where the user confirms or rejects the send; always on the issuer's origin. */
  public URI confirmationUrl() {
    return confirmationUrl;
  }

  /** When the confirmation lapses unanswered, from {@code expires_in} and the SDK's clock at receipt. */
  public Instant expiresAt() {
    return expiresAt;
  }
}
