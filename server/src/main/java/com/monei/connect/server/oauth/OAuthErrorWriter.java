package com.monei.connect.server.oauth;

import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The only code that knows the error shapes: the JSON body ({@code error}, {@code error_description}
 * per RFC 6749 §5.2, {@code message} for the documented client code), the redirect query, and the
 * WWW-Authenticate challenge of RFC 6750 §3.
 */
public final class OAuthErrorWriter implements ExceptionHandler<OAuthException> {

  @Override
  public void handle(OAuthException e, Context ctx) {
    write(ctx, e.error(), e.challenge(), e.requiredScope());
  }

  public static void write(Context ctx, OAuthError error, String challenge, String requiredScope) {
    if (challenge != null) ctx.header("WWW-Authenticate", challenge(error, challenge, requiredScope));
    ctx.header("Cache-Control", "no-store");
    ctx.status(error.status()).json(body(error));
  }

  public static Map<String, Object> body(OAuthError error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error.code());
    body.put("error_description", error.description());
    body.put("message", error.description());
    return body;
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

  static String challenge(OAuthError error, String scheme, String requiredScope) {
    if (!scheme.equals("Bearer")) return scheme + " realm=\"monei\"";
    if (error.code().equals(OAuthError.UNAUTHORIZED.code())) return "Bearer realm=\"monei\"";
    StringBuilder sb = new StringBuilder("Bearer realm=\"monei\", error=\"").append(error.code()).append('"');
    sb.append(", error_description=\"").append(error.description().replace("\"", "'")).append('"');
    if (requiredScope != null) sb.append(", scope=\"").append(requiredScope).append('"');
    return sb.toString();
  }
}
