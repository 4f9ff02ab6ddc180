package com.monei.connect.server.api;

import com.monei.connect.server.http.JsonErrorWriter;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;

/** Writes an {@link ApiException}: the shared JSON shape, plus RFC 6750's challenge when it has one. */
public final class ApiErrorWriter implements ExceptionHandler<ApiException> {

  @Override
  public void handle(ApiException e, Context ctx) {
    JsonErrorWriter.write(ctx, e.error(), e.bearerChallenge() ? challenge(e.error(), e.requiredScope()) : null);
  }

  // RFC 6750 §3: "If the request lacks any authentication information ..., the resource server
  // SHOULD NOT include an error code or other error information."
  static String challenge(ApiError error, String requiredScope) {
    if (error.code().equals(ApiError.UNAUTHORIZED.code())) return "Bearer realm=\"monei\"";
    StringBuilder sb = new StringBuilder("Bearer realm=\"monei\", error=\"").append(error.code()).append('"');
    sb.append(", error_description=\"").append(error.description().replace("\"", "'")).append('"');
    if (requiredScope != null) sb.append(", scope=\"").append(requiredScope).append('"');
    return sb.toString();
  }
}
