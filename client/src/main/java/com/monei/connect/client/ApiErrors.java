package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Turns an API error response into the typed exception an app catches: the JSON body
 * ({@code error}, {@code error_description}, {@code message}) first, the WWW-Authenticate challenge
 * (RFC 6750 §3) where the body is silent.
 */
final class ApiErrors {
  private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  private ApiErrors() {}

  static MoneiApiException from(HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode body = Json.parseOrNull(response.body());
    if (body != null && !body.isObject()) body = null;
    Map<String, String> challenge = BearerChallenge.parse(response.headers().firstValue(WWW_AUTHENTICATE).orElse(null));
    String error = first(Json.optionalText(body, OAuthParams.ERROR), challenge.get(OAuthParams.ERROR));
    String description = first(Json.optionalText(body, OAuthParams.ERROR_DESCRIPTION),
        Json.optionalText(body, OAuthParams.MESSAGE), challenge.get(OAuthParams.ERROR_DESCRIPTION));
    if (ErrorCodes.INSUFFICIENT_SCOPE.equals(error)) {
      String scope = first(challenge.get(OAuthParams.SCOPE), scopeNamedIn(description));
      return new InsufficientScopeException(status, error, description, scope);
    }
    if (ErrorCodes.INSUFFICIENT_FUNDS.equals(error)) return new InsufficientFundsException(status, error, description);
    if (ErrorCodes.SEND_LIMIT_EXCEEDED.equals(error)) return new SendLimitExceededException(status, error, description);
    if (ErrorCodes.RECIPIENT_NOT_FOUND.equals(error)) return new RecipientNotFoundException(status, error, description);
    if (ErrorCodes.IDEMPOTENCY_KEY_REUSED.equals(error) || status == 409)
      return new IdempotencyConflictException(status, error, description);
    return new MoneiApiException(status, error, description);
  }

  /** A token endpoint error (RFC 6749 §5.2). */
  static TokenRequestException fromTokenEndpoint(HttpResponse<String> response) {
    JsonNode body = Json.parseOrNull(response.body());
    if (body != null && !body.isObject()) body = null;
    return new TokenRequestException(response.statusCode(), Json.optionalText(body, OAuthParams.ERROR),
        first(Json.optionalText(body, OAuthParams.ERROR_DESCRIPTION), Json.optionalText(body, OAuthParams.MESSAGE)));
  }

  private static String scopeNamedIn(String description) {
    if (description == null) return null;
    for (String scope : Scopes.ALL) if (description.contains(scope)) return scope;
    return null;
  }

  private static String first(String... values) {
    for (String v : values) if (v != null && !v.isEmpty()) return v;
    return null;
  }
}
