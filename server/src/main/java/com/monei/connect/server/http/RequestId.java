package com.monei.connect.server.http;

import com.monei.connect.server.token.Ids;
import io.javalin.http.Context;

/**
 * Every response's {@code Request-Id} (SPEC 1.4): drawn by Monei for each request, sent as a header,
 * repeated in JSON error bodies as {@code request_id} and written on the request's log line, so a
 * developer's support ticket points at one line. An id the client sends is never taken: it could
 * forge or repeat someone else's.
 */
public final class RequestId {
  public static final String HEADER = "Request-Id";

  private static final String ATTRIBUTE = "monei.request-id";

  private RequestId() {}

  /** The before-handler that gives the request its id and the response its header. */
  public static void assign(Context ctx) {
    of(ctx);
  }

  /** A new id, for an answer written outside Javalin's routing (Jetty's own refusals). */
  public static String next() {
    return Ids.next("req_");
  }

  /** This request's id, drawn on first use (a request refused before routing still gets one). */
  public static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    if (id == null) {
      id = next();
      ctx.attribute(ATTRIBUTE, id);
      ctx.header(HEADER, id);
    }
    return id;
  }
}
