package com.monei.connect.client;

/**
 * Monei refused a call: the HTTP status and the error code and description from the JSON error body
 * ({@code error}, {@code error_description}). Outcomes an app is expected to handle have their own
 * subclasses, so a {@code catch} can pick them out:
 * {@link InsufficientScopeException}, {@link GrantRevokedException} (and its {@link NotConnectedException}),
 * {@link InsufficientFundsException},
 * {@link SendLimitExceededException}, {@link ConfirmationRequiredException},
 * {@link ConfirmationRejectedException}, {@link RecipientNotFoundException},
 * {@link IdempotencyConflictException} and {@link TokenRequestException}.
 *
 * <p>Every error Monei answered carries the server's {@link #requestId() request id}: quote it when asking
 * Monei's support about a failed call.
 *
 * <p>Network failures are not this exception: they surface as {@link java.io.UncheckedIOException}.
 */
public class MoneiApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String description;
  private String requestId;

  /** An error answered with {@code status}; {@code error} and {@code description} may be null. */
  public MoneiApiException(int status, String error, String description) {
    super(message(status, error, description));
    this.status = status;
    this.error = error;
    this.description = description;
  }

  /** HTTP status code, or 0 when the SDK refused before sending any request. */
  public int status() {
    return status;
  }

  /** The error code, e.g. {@code insufficient_scope} (see {@link ErrorCodes}), or null when the body had none. */
  public String error() {
    return error;
  }

  /** The human-readable description the server gave, or null. */
  public String description() {
    return description;
  }

  /**
   * The id Monei gave the request that failed, from its {@code Request-Id} response header or the error
   * body's {@code request_id}; null when the SDK refused before sending or the server named none.
   */
  public String requestId() {
    return requestId;
  }

  /** Ends with the request id, so a logged failure can be traced at Monei. */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    return requestId == null ? message : message + " (request id " + requestId + ")";
  }

  /** Sets the request id once the response is known; the exception is not yet visible to anyone then. */
  MoneiApiException withRequestId(String value) {
    this.requestId = value;
    return this;
  }

  private static String message(int status, String error, String description) {
    StringBuilder sb = new StringBuilder();
    if (status > 0) sb.append("HTTP ").append(status);
    if (error != null) sb.append(sb.length() > 0 ? " " : "").append(error);
    if (description != null) sb.append(sb.length() > 0 ? ": " : "").append(description);
    return sb.toString();
  }
}
