package com.monei.connect.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.http.JsonBody;
import com.monei.connect.server.validation.ValidationException;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A token, revocation or introspection request, parsed from a JSON or form body into one typed
 * value. Credentials from HTTP Basic are kept apart from those in the body.
 */
public record TokenRequest(Map<String, String> params, String basicClientId, String basicClientSecret) {

  public String param(String name) {
    return params.get(name);
  }

  public String grantType() {
    return params.get(OAuthParams.GRANT_TYPE);
  }

  public String require(String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty())
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription("The " + name + " parameter is required."));
    return value;
  }

  public static TokenRequest parse(Context ctx) {
    String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    Map<String, String> params;
    if (contentType.startsWith("application/json")) {
      params = parseJson(ctx.body());
    } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
      params = parseForm(ctx.formParamMap());
    } else {
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
          "Send the parameters as application/x-www-form-urlencoded or application/json."));
    }
    String[] basic = parseBasic(ctx.header("Authorization"));
    return new TokenRequest(Map.copyOf(params), basic == null ? null : basic[0], basic == null ? null : basic[1]);
  }

  private static Map<String, String> parseJson(String body) {
    JsonNode node;
    try {
      node = JsonBody.object(body, "{\"grant_type\": \"...\", ...}");
    } catch (ValidationException e) {
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(e.getMessage()));
    }
    Map<String, String> params = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (value.isNull()) continue;
      if (!value.isTextual())
        throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
            "The " + field.getKey() + " parameter must be a string."));
      params.put(field.getKey(), value.asText());
    }
    return params;
  }

  // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once."
  private static Map<String, String> parseForm(Map<String, List<String>> form) {
    Map<String, String> params = new HashMap<>();
    for (Map.Entry<String, List<String>> e : form.entrySet()) {
      if (e.getValue().size() > 1)
        throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
            "The " + e.getKey() + " parameter is repeated."));
      if (!e.getValue().isEmpty() && !e.getValue().get(0).isEmpty()) params.put(e.getKey(), e.getValue().get(0));
    }
    return params;
  }

  /** client_id and client_secret from HTTP Basic, form-url-decoded as RFC 6749 §2.3.1 requires. */
  private static String[] parseBasic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) throw new IllegalArgumentException();
      return new String[] {
          URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    } catch (IllegalArgumentException e) {
      throw new OAuthException(OAuthError.INVALID_CLIENT.withDescription("Malformed HTTP Basic credentials."),
          "Basic");
    }
  }
}
