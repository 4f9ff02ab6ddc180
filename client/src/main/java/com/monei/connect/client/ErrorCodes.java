package com.monei.connect.client;

/**
 * Error codes Monei answers with, as found in {@link MoneiApiException#error()} and
 * {@link CallbackResult.Failed#error()}: those of RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, and the
 * wallet API's own.
 */
public final class ErrorCodes {
  /** A parameter is missing, repeated or malformed. */
  public static final String INVALID_REQUEST = "invalid_request";
  /** The app's credentials were refused by the token endpoint. */
  public static final String INVALID_CLIENT = "invalid_client";
  /** The code or refresh token is invalid, expired, already used or revoked. */
  public static final String INVALID_GRANT = "invalid_grant";
  /** A requested scope is unknown, or wider than the grant. */
  public static final String INVALID_SCOPE = "invalid_scope";
  /** The user declined the authorization. */
  public static final String ACCESS_DENIED = "access_denied";
  /** The server failed; try again later. */
  public static final String SERVER_ERROR = "server_error";
  /** The access token is unknown, expired or revoked. */
  public static final String INVALID_TOKEN = "invalid_token";
  /** The access token lacks the scope the call needs. */
  public static final String INSUFFICIENT_SCOPE = "insufficient_scope";
  /** The wallet does not hold enough money for the send. */
  public static final String INSUFFICIENT_FUNDS = "insufficient_funds";
  /** The send would exceed what the user allowed this app to send in 24 hours. */
  public static final String SEND_LIMIT_EXCEEDED = "send_limit_exceeded";
  /** No Monei wallet matches the recipient. */
  public static final String RECIPIENT_NOT_FOUND = "recipient_not_found";
  /** The send needs the user's confirmation in Monei first; see {@link ConfirmationRequiredException}. */
  public static final String CONFIRMATION_REQUIRED = "confirmation_required";
  /** The user rejected the send in Monei; see {@link ConfirmationRejectedException}. */
  public static final String CONFIRMATION_REJECTED = "confirmation_rejected";
  /** The Idempotency-Key was already used with a different request. */
  public static final String IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused";
  /**
   * The {@code iss} of the callback names another authorization server (RFC 9207); the SDK's own
   * code, never sent by Monei.
   */
  public static final String ISSUER_MISMATCH = "issuer_mismatch";
  /**
   * Monei could not be reached to exchange the callback's code (after the SDK's retries); the SDK's
   * own code, never sent by Monei. The user can start the connection again.
   */
  public static final String NETWORK_ERROR = "network_error";

  private ErrorCodes() {}
}
