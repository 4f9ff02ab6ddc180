package com.monei.connect.server.web;

import io.javalin.http.Context;
import java.util.Map;

/**
 * Headers on every response: no framing (clickjacking of the consent screen), nothing loaded from
 * other origins, no Referer leaking codes or state to other sites.
 */
public final class SecurityHeaders {
  static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
      + "frame-ancestors 'none'; base-uri 'none'";

  /** Each header and its value; also what Jetty's own error answers carry ({@link ConnectionErrorPages}). */
  static final Map<String, String> ALL = Map.of(
      "X-Frame-Options", "DENY",
      "Content-Security-Policy", CSP,
      "Referrer-Policy", "no-referrer",
      "X-Content-Type-Options", "nosniff");

  private SecurityHeaders() {}

  public static void apply(Context ctx) {
    ALL.forEach(ctx::header);
  }
}
