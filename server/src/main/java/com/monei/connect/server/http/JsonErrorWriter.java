package com.monei.connect.server.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The only code that knows the JSON error shape: {@code error} and {@code error_description} as
 * RFC 6749 §5.2 and RFC 6750 §3 name them, and {@code message} for the documented client code.
 * Error answers are never cached; the caller supplies any WWW-Authenticate challenge. An answer
 * to a request also carries the request's {@code request_id} ({@link RequestId}).
 */
public final class JsonErrorWriter {
  private JsonErrorWriter() {}

  public static void write(Context ctx, HttpError error, String challenge) {
    if (challenge != null) ctx.header("WWW-Authenticate", challenge);
    ctx.header("Cache-Control", "no-store");
    ctx.status(error.status()).json(body(error, RequestId.of(ctx)));
  }

  /** {@link #body(HttpError)} with the request's id last, as an answer to that request carries it. */
  public static Map<String, Object> body(HttpError error, String requestId) {
    Map<String, Object> body = body(error);
    body.put("request_id", requestId);
    return body;
  }

  public static Map<String, Object> body(HttpError error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error.code());
    body.put("error_description", error.description());
    body.put("message", error.description());
    error.details().forEach(body::putIfAbsent);
    return body;
  }
}
