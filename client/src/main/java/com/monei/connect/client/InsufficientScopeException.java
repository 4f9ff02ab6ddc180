package com.monei.connect.client;

/**
 * The user has not granted the scope a call needs ({@code 403 insufficient_scope}, RFC 6750 §3.1).
 * Ask for just that scope: {@code connect.authorizationRequest(e.scope())}.
 */
public class InsufficientScopeException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  private final String scope;

  /** A 403 insufficient_scope naming the {@code scope} the call needs (may be null if the server named none). */
  public InsufficientScopeException(int status, String error, String description, String scope) {
    super(status, error, description);
    this.scope = scope;
  }

  /** The scope the call needs, e.g. {@code wallet:read}, or null when the server did not say. */
  public String scope() {
    return scope;
  }
}
