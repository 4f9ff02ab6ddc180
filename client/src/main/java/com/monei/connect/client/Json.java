package com.monei.connect.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reading the wire format: the typed values' parse methods use these, and fail with {@link MalformedJson}. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A response body that is not the JSON the SDK expects. */
  static final class MalformedJson extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedJson(String message) {
      super(message);
    }
  }

  /** The body as JSON, or null when it is empty or not JSON. */
  static JsonNode parseOrNull(String body) {
    if (body == null || body.isBlank()) return null;
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static JsonNode object(String body) {
    JsonNode node = parseOrNull(body);
    if (node == null || !node.isObject()) throw new MalformedJson("expected a JSON object");
    return node;
  }

  static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(JsonNode node, String field) {
    String value = optionalText(node, field);
    if (value == null) throw new MalformedJson("missing \"" + field + "\"");
    return value;
  }

  static String optionalText(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isValueNode()) throw new MalformedJson("\"" + field + "\" is not a string");
    return value.asText();
  }

  static BigDecimal decimal(String field, String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new MalformedJson("\"" + field + "\" is not a decimal amount");
    }
  }

  static Instant instant(JsonNode node, String field) {
    String text = optionalText(node, field);
    if (text == null) return null;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        throw new MalformedJson("\"" + field + "\" is not an ISO-8601 instant");
      }
    }
  }

  static List<JsonNode> array(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return List.of();
    if (!value.isArray()) throw new MalformedJson("\"" + field + "\" is not an array");
    List<JsonNode> items = new ArrayList<>();
    value.forEach(items::add);
    return items;
  }

  static List<String> strings(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode item : array(node, field)) values.add(item.asText());
    return values;
  }
}
