package com.monei.connect.server.oauth;

import com.monei.connect.server.http.JsonErrorWriter;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two shapes of an authorization server error: the JSON answer (through {@link JsonErrorWriter},
 * with the client authentication challenge RFC 6749 §5.2 asks for on invalid_client) and the query
 * of an error sent back to the redirect URI.
 */
public final class OAuthErrorWriter implements ExceptionHandler<OAuthException> {

  @Override
  public void handle(OAuthException e, Context ctx) {
    JsonErrorWriter.write(ctx, e.error(), e.challenge() == null ? null : e.challenge() + " realm=\"monei\"");
  }

  /** The query parameters of an error sent back to the redirect URI (RFC 6749 §4.1.2.1, RFC 9207). */
  public static Map<String, String> redirectParams(OAuthError error, String state, String issuer) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", error.code());
    params.put("error_description", error.description());
    if (state != null) params.put("state", state);
    params.put("iss", issuer);
    return params;
  }
}
