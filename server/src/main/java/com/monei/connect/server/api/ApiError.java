package com.monei.connect.server.api;

import com.monei.connect.server.http.HttpError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error of the API (the resource server): its code, the public description and the HTTP
 * status, and any members of its own after the shared ones ({@code details}, in order). Constants are
 * never mutated; refine one with {@link #withDescription} and {@link #withDetails}. Written, like the
 * authorization server's errors, by {@link com.monei.connect.server.http.JsonErrorWriter}.
 */
public record ApiError(String code, String description, int status, Map<String, Object> details)
    implements HttpError {
  // RFC 6750 §3.1
  public static final ApiError INVALID_REQUEST =
      new ApiError("invalid_request", "The request is missing a parameter or is malformed.", 400);
  public static final ApiError INVALID_TOKEN =
      new ApiError("invalid_token", "The access token is invalid, expired or revoked.", 401);
  public static final ApiError INSUFFICIENT_SCOPE =
      new ApiError("insufficient_scope", "The access token does not have the scope this call needs.", 403);
  /** No credentials at all: RFC 6750 §3.1 says the challenge then carries no error code. */
  public static final ApiError UNAUTHORIZED =
      new ApiError("unauthorized", "This call needs an access token: Authorization: Bearer mct_...", 401);
  // HTTP
  public static final ApiError NOT_FOUND = new ApiError("not_found", "Not found.", 404);
  public static final ApiError METHOD_NOT_ALLOWED =
      new ApiError("method_not_allowed", "This method is not allowed here.", 405);
  // Wallet
  public static final ApiError INSUFFICIENT_FUNDS =
      new ApiError("insufficient_funds", "The wallet does not hold enough money for this send.", 422);
  public static final ApiError SEND_LIMIT_EXCEEDED = new ApiError("send_limit_exceeded",
      "This send would exceed what the user allowed this app to send in 24 hours.", 403);
  public static final ApiError RECIPIENT_NOT_FOUND =
      new ApiError("recipient_not_found", "No Monei wallet matches the recipient.", 404);
  public static final ApiError CONFIRMATION_REQUIRED = new ApiError("confirmation_required",
      "The user must confirm this send in Monei; send the same request again after they did.", 403);
  public static final ApiError CONFIRMATION_REJECTED =
      new ApiError("confirmation_rejected", "The user rejected this send in Monei.", 403);
  public static final ApiError IDEMPOTENCY_KEY_REUSED = new ApiError("idempotency_key_reused",
      "This Idempotency-Key was already used with a different request.", 409);

  public ApiError {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public ApiError(String code, String description, int status) {
    this(code, description, status, Map.of());
  }

  public ApiError withDescription(String text) {
    return new ApiError(code, text, status, details);
  }

  /** This error with {@code members} written after the shared ones (null values are written as null). */
  public ApiError withDetails(Map<String, Object> members) {
    return new ApiError(code, description, status, members);
  }
}
