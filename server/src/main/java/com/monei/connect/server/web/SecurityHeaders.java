package com.monei.connect.server.web;

import com.monei.connect.server.http.ClientAddress;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Headers on every response: no framing (clickjacking of the consent screen), nothing loaded from
 * other origins, no Referer leaking codes or state to other sites; and on requests that came over
 * https ({@link ClientAddress#secure()}), HSTS, so the browser never again asks over plain http.
 */
public final class SecurityHeaders {
  static final String HSTS = "max-age=31536000; includeSubDomains";
  /**
   * Scripts only from files Monei serves (the copy button, passkeys), never inline; and those
   * scripts may call Monei alone (the passkey ceremonies).
   */
  static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

  /** Each header and its value; also what Jetty's own error answers carry ({@link ConnectionErrorPages}). */
  static final Map<String, String> ALL = Map.of(
      "X-Frame-Options", "DENY",
      "Content-Security-Policy", CSP,
      "Referrer-Policy", "no-referrer",
      "X-Content-Type-Options", "nosniff");

  private SecurityHeaders() {}

  public static void apply(Context ctx) {
    ALL.forEach(ctx::header);
    if (ClientAddress.of(ctx).secure()) ctx.header("Strict-Transport-Security", HSTS);
  }
}
