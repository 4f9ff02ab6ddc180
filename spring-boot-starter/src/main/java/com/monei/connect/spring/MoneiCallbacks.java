package com.monei.connect.spring;

import com.monei.connect.client.AuthorizationRequest;
import com.monei.connect.client.CallbackResult;
import com.monei.connect.client.MoneiConnect;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.util.Objects;

/**
 * The two ends of connecting a user's Monei account, keeping the pending {@link AuthorizationRequest} in the
 * user's {@link HttpSession} between them.
 *
 * <pre>{@code
 * @GetMapping("/connect") String connect(HttpSession session) {
 *   return "redirect:" + callbacks.start(session, Scopes.WALLET_READ);
 * }
 * @GetMapping("/callback") String callback(HttpSession session, HttpServletRequest request, Principal user) {
 *   CallbackResult result = callbacks.finish(session, request.getQueryString(), user.getName());
 *   ...
 * }
 * }</pre>
 */
public final class MoneiCallbacks {
  /** The session attribute that holds the pending request. */
  public static final String SESSION_ATTRIBUTE = MoneiCallbacks.class.getName() + ".pending";

  private final MoneiConnect monei;

  /** Callbacks for {@code monei}. */
  public MoneiCallbacks(MoneiConnect monei) {
    this.monei = Objects.requireNonNull(monei, "monei");
  }

  /**
   * Starts an authorization for {@code scopes} and remembers it in {@code session}, replacing any pending one;
   * returns the URL to redirect the browser to.
   */
  public URI start(HttpSession session, String... scopes) {
    AuthorizationRequest request = monei.authorizationRequest(scopes);
    session.setAttribute(SESSION_ATTRIBUTE, request);
    return request.url();
  }

  /**
   * Finishes the authorization this session started, from the callback's raw query string; the tokens are
   * stored under {@code userKey} when approved. See {@link MoneiConnect#handleCallback(String,
   * AuthorizationRequest, String)}.
   */
  public CallbackResult finish(HttpSession session, String queryString, String userKey) {
    Object attribute = session.getAttribute(SESSION_ATTRIBUTE);
    AuthorizationRequest pending = attribute instanceof AuthorizationRequest request ? request : null;
    CallbackResult result = monei.handleCallback(queryString == null ? "" : queryString, pending, userKey);
    // A forged callback (state mismatch) must not cancel the user's own pending request; any other outcome
    // used it up, and its code cannot be exchanged twice.
    if (!(result instanceof CallbackResult.StateMismatch)) session.removeAttribute(SESSION_ATTRIBUTE);
    return result;
  }

  @Override
  public String toString() {
    return "MoneiCallbacks[" + monei + "]";
  }
}
