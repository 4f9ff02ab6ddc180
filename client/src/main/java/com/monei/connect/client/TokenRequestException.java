package com.monei.connect.client;

/**
 * The token or revocation endpoint refused a request (RFC 6749 §5.2), for a reason other than a
 * revoked grant (that is {@link GrantRevokedException}): a wrong client secret ({@code invalid_client}),
 * a server failure, or an answer that is not a valid token response.
 */
public class TokenRequestException extends MoneiApiException {
  private static final long serialVersionUID = 1L;

  /** A token endpoint error answered with {@code status}. */
  public TokenRequestException(int status, String error, String description) {
    super(status, error, description);
  }
}
