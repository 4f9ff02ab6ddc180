package com.monei.connect.server;

import com.monei.connect.server.api.ApiError;
import com.monei.connect.server.api.ApiErrorWriter;
import com.monei.connect.server.api.ApiException;
import com.monei.connect.server.http.HttpError;
import com.monei.connect.server.http.JsonErrorWriter;
import com.monei.connect.server.http.MalformedRequestException;
import com.monei.connect.server.oauth.OAuthError;
import com.monei.connect.server.oauth.OAuthErrorWriter;
import com.monei.connect.server.oauth.OAuthException;
import com.monei.connect.server.storage.DatabaseUnavailableException;
import com.monei.connect.server.web.ErrorPages;
import com.monei.connect.server.web.PasskeyRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.EOFException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.OptionalInt;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server answers when a handler did not answer itself: protocol and API errors in their
 * JSON, Javalin's own refusals, an unavailable database, any other fault, 404 and 405. Paths of
 * the APIs (and of the passkey ceremonies, which a page's script reads) get JSON and the rest,
 * which browsers ask for, a page. A fault's text goes only to the log.
 */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private final ErrorPages pages;

  public ErrorResponses(ErrorPages pages) {
    this.pages = pages;
  }

  public void register(RoutesConfig routes) {
    routes.exception(OAuthException.class, new OAuthErrorWriter());
    routes.exception(ApiException.class, new ApiErrorWriter());
    // Javalin's own refusals (body too large, bad content) get the same shape as ours.
    routes.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, new OAuthError(
        e.getStatus() == 413 ? "invalid_request" : e.getStatus() >= 500 ? "server_error" : "invalid_request",
        e.getStatus() == 413 ? "The request body is too large." : "The request could not be processed.",
        e.getStatus(), false)));
    routes.exception(DatabaseUnavailableException.class, (e, ctx) -> {
      LOG.warn("database unavailable on {} {}", ctx.method(), ctx.path());
      ctx.header("Retry-After", "1");
      fail(ctx, OAuthError.TEMPORARILY_UNAVAILABLE);
    });
    routes.exception(MalformedRequestException.class, (e, ctx) -> {
      LOG.info("malformed request on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      fail(ctx, new OAuthError("invalid_request", e.getMessage(), e.status(), false));
    });
    routes.exception(Exception.class, (e, ctx) -> {
      OptionalInt clientError = clientError(e);
      if (clientError.isPresent()) {
        // The sender's fault, found by Jetty while reading the request: no stack trace, only what it was.
        LOG.info("malformed request on {} {}: {}", ctx.method(), ctx.path(), causes(e));
        fail(ctx, new OAuthError("invalid_request", clientError.getAsInt() == 413
            ? "The request body is too large." : "The request could not be read.", clientError.getAsInt(), false));
        return;
      }
      LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
      fail(ctx, OAuthError.SERVER_ERROR);
    });
    routes.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint ")) {
        fail(ctx, ApiError.NOT_FOUND);
      }
    });
    routes.error(405, ctx -> fail(ctx, ApiError.METHOD_NOT_ALLOWED));
  }

  /**
   * The 4xx a fault stands for when it comes from reading a malformed request: Jetty's own verdict
   * (a bad multipart body, a broken chunked encoding), a body that ended early, a charset that does
   * not exist. Empty for everything else, which is a fault of the server.
   */
  static OptionalInt clientError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500)
        return OptionalInt.of(http.getCode());
      if (t instanceof EofException || t instanceof EOFException) return OptionalInt.of(400);
      if (t instanceof UnsupportedCharsetException || t instanceof IllegalCharsetNameException)
        return OptionalInt.of(415);
    }
    return OptionalInt.empty();
  }

  /** The exception's classes, outermost first: enough to tell malformed requests apart, nothing the sender wrote. */
  private static String causes(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (out.length() > 0) out.append(" <- ");
      out.append(t.getClass().getSimpleName());
    }
    return out.toString();
  }

  /** JSON for API clients, a page for browsers. */
  private void fail(Context ctx, HttpError error) {
    if (ctx.path().startsWith("/api/") || ctx.path().startsWith("/.well-known/")
        || PasskeyRoutes.answersJson(ctx.path())) {
      JsonErrorWriter.write(ctx, error, null);
    } else {
      pages.show(ctx, error);
    }
  }
}
