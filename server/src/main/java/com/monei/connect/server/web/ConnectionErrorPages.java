package com.monei.connect.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.server.http.JsonErrorWriter;
import com.monei.connect.server.http.RequestId;
import com.monei.connect.server.oauth.OAuthError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty answers itself, before any route sees the request: a header or URI too large, a request
 * line or header it cannot parse. Installed as the server's error handler so those answers carry the
 * security headers of every other page, show Monei's error page (JSON on the APIs) and never echo
 * what Jetty found wrong, which may be the attacker's bytes.
 */
public final class ConnectionErrorPages extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST_ID = "monei.request-id";

  private final ErrorPages pages;

  public ConnectionErrorPages(ErrorPages pages) {
    this.pages = pages;
  }

  /** Jetty writes no page for methods other than GET, POST and HEAD; Monei's goes to every method. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    // Set first, so an answer Jetty writes without a page (a HEAD, say) has them too.
    SecurityHeaders.ALL.forEach(response.getHeaders()::put);
    String requestId = RequestId.next();
    response.getHeaders().put(RequestId.HEADER, requestId);
    request.setAttribute(REQUEST_ID, requestId);
    return super.handle(request, response, callback);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    // An unknown HTTP version is one more request Monei cannot read, not a fault of the server.
    int status = code == 505 ? 400 : code;
    String text = describe(status);
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    boolean api = path != null && (path.startsWith("/api/") || path.startsWith("/.well-known/")
        || PasskeyRoutes.answersJson(path));
    byte[] body;
    String contentType;
    if (api) {
      body = json(new OAuthError(status >= 500 ? "server_error" : "invalid_request", text, status, false),
          String.valueOf(request.getAttribute(REQUEST_ID)));
      contentType = "application/json";
    } else {
      body = pages.html(text).getBytes(StandardCharsets.UTF_8);
      contentType = "text/html;charset=utf-8";
    }
    response.setStatus(status);
    HttpFields.Mutable headers = response.getHeaders();
    SecurityHeaders.ALL.forEach(headers::put);
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static String describe(int status) {
    return switch (status) {
      case 413 -> "The request is too large.";
      case 414 -> "The address is too long.";
      case 431 -> "The request headers are too large.";
      default -> status >= 500 ? OAuthError.SERVER_ERROR.description() : "The request could not be read.";
    };
  }

  private static byte[] json(OAuthError error, String requestId) {
    try {
      return JSON.writeValueAsBytes(JsonErrorWriter.body(error, requestId));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
