package com.monei.connect.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.validation.ValidationException;

/**
 * Strict parsing of JSON request bodies: one object, nothing after it, no repeated keys (a
 * repeated parameter is ambiguous, RFC 6749 §3.2). Anything else is refused with a message the
 * caller returns as its invalid_request.
 */
public final class JsonBody {
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private JsonBody() {}

  /** The body as a JSON object; {@code shape} tells the caller what was expected. */
  public static JsonNode object(String body, String shape) {
    JsonNode node;
    try {
      node = STRICT.readTree(body);
    } catch (Exception e) {
      throw new ValidationException("The body is not valid JSON: " + shape);
    }
    if (node == null || !node.isObject()) throw new ValidationException("The body must be a JSON object: " + shape);
    return node;
  }
}
