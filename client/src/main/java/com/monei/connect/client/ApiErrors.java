package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

/**
 * Turns an API error response into the typed exception an app catches: the JSON body
 * ({@code error}, {@code error_description}, {@code message}) first, the WWW-Authenticate challenge
 * (RFC 6750 §3) where the body is silent.
 */
final class ApiErrors {
  private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
  private static final String REQUEST_ID_HEADER = "Request-Id";
  private static final String REQUEST_ID = "request_id";
  private static final String CONFIRMATION_ID = "confirmation_id";
  private static final String CONFIRMATION_URL = "confirmation_url";
  private static final String EXPIRES_IN = "expires_in";

  private ApiErrors() {}

  static MoneiApiException from(HttpResponse<String> response) {
    return from(response, null, null);
  }

  /**
   * As {@link #from(HttpResponse)}, for an API call to {@code issuer} answered at {@code now}: a
   * {@code confirmation_required} becomes a {@link ConfirmationRequiredException} when it names a
   * confirmation on the issuer's origin, and stays a plain {@link MoneiApiException} otherwise.
   */
  static MoneiApiException from(HttpResponse<String> response, URI issuer, Instant now) {
    JsonNode body = Json.parseOrNull(response.body());
    if (body != null && !body.isObject()) body = null;
    return typed(response, body, issuer, now).withRequestId(requestId(response, body));
  }

  private static MoneiApiException typed(HttpResponse<String> response, JsonNode body, URI issuer, Instant now) {
    int status = response.statusCode();
    Map<String, String> challenge = BearerChallenge.parse(response.headers().firstValue(WWW_AUTHENTICATE).orElse(null));
    String error = first(Json.optionalText(body, OAuthParams.ERROR), challenge.get(OAuthParams.ERROR));
    String description = first(Json.optionalText(body, OAuthParams.ERROR_DESCRIPTION),
        Json.optionalText(body, OAuthParams.MESSAGE), challenge.get(OAuthParams.ERROR_DESCRIPTION));
    if (ErrorCodes.INSUFFICIENT_SCOPE.equals(error)) {
      String scope = first(challenge.get(OAuthParams.SCOPE), scopeNamedIn(description));
      return new InsufficientScopeException(status, error, description, scope);
    }
    if (ErrorCodes.CONFIRMATION_REQUIRED.equals(error) && issuer != null) {
      ConfirmationRequiredException confirmation = confirmation(body, status, error, description, issuer, now);
      if (confirmation != null) return confirmation;
    }
    if (ErrorCodes.CONFIRMATION_REJECTED.equals(error))
      return new ConfirmationRejectedException(status, error, description);
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
    TokenRequestException e = new TokenRequestException(response.statusCode(),
        Json.optionalText(body, OAuthParams.ERROR),
        first(Json.optionalText(body, OAuthParams.ERROR_DESCRIPTION), Json.optionalText(body, OAuthParams.MESSAGE)));
    e.withRequestId(requestId(response, body));
    return e;
  }

  /** The header first: it is there whatever the body looks like, even on an error page from a proxy. */
  static String requestId(HttpResponse<String> response, JsonNode body) {
    String header = response.headers().firstValue(REQUEST_ID_HEADER).orElse(null);
    if (header != null && !header.isBlank()) return header.strip();
    try {
      return first(Json.optionalText(body, REQUEST_ID));
    } catch (Json.MalformedJson e) {
      return null;
    }
  }

  /**
   * The confirmation the body names, or null when it lacks the id, URL or lifetime, or when the URL
   * points away from the issuer: the app sends its user there to re-prove themselves, so a link to
   * any other origin must never reach it.
   */
  private static ConfirmationRequiredException confirmation(JsonNode body, int status, String error,
      String description, URI issuer, Instant now) {
    try {
      String id = Json.optionalText(body, CONFIRMATION_ID);
      String url = Json.optionalText(body, CONFIRMATION_URL);
      JsonNode expiresIn = body == null ? null : body.get(EXPIRES_IN);
      if (id == null || url == null || expiresIn == null || !expiresIn.canConvertToLong() || expiresIn.asLong() < 0)
        return null;
      URI uri = new URI(url);
      if (!sameOrigin(uri, issuer)) return null;
      return new ConfirmationRequiredException(status, error, description, id, uri,
          now.plusSeconds(expiresIn.asLong()));
    } catch (URISyntaxException | Json.MalformedJson e) {
      return null;
    }
  }

  private static boolean sameOrigin(URI uri, URI issuer) {
    return uri.isAbsolute() && uri.getRawUserInfo() == null && uri.getHost() != null
        && uri.getScheme().equalsIgnoreCase(issuer.getScheme()) && uri.getHost().equalsIgnoreCase(issuer.getHost())
        && port(uri) == port(issuer);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) return uri.getPort();
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
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
