package com.monei.connect.client;

import java.util.Objects;

/**
 * The outcome of the redirect back from Monei, as {@link MoneiConnect#handleCallback} decides it.
 * Each case needs its own page in the app:
 *
 * <pre>{@code
 * CallbackResult result = connect.handleCallback(ctx.queryString(), pending, userId);
 * if (result instanceof CallbackResult.Approved approved) {
 *   showDashboard(approved.grant());
 * } else if (result instanceof CallbackResult.Denied) {
 *   show("You chose not to connect Monei. You can connect any time.");
 * } else if (result instanceof CallbackResult.StateMismatch) {
 *   show("This link is not from a connection you started. Please start again.");
 * } else if (result instanceof CallbackResult.Failed failed) {
 *   show("Monei could not connect: " + failed.description());
 * }
 * }</pre>
 */
public sealed interface CallbackResult
    permits CallbackResult.Approved, CallbackResult.Denied, CallbackResult.StateMismatch, CallbackResult.Failed {

  /**
   * The user approved and the code was exchanged; the tokens are in the {@link TokenStore}.
   *
   * @param grant what the user granted, which may be less than requested
   */
  record Approved(Grant grant) implements CallbackResult {
    /** Checks that the grant is present. */
    public Approved {
      Objects.requireNonNull(grant, "grant");
    }
  }

  /**
   * The user declined ({@code error=access_denied}): nothing was granted.
   *
   * @param description the server's explanation, or null
   */
  record Denied(String description) implements CallbackResult {}

  /**
   * The callback's {@code state} does not match the pending request (or there was no pending
   * request): it may be forged, so nothing in it was used and no code was exchanged.
   */
  record StateMismatch() implements CallbackResult {}

  /**
   * Monei answered with an error other than a denial, the callback was malformed or from another
   * issuer, or the code exchange was refused.
   *
   * @param error the error code, e.g. {@code invalid_grant} or {@code invalid_scope} (see {@link ErrorCodes})
   * @param description the explanation, or null
   */
  record Failed(String error, String description) implements CallbackResult {}
}
