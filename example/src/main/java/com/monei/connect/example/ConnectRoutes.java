package com.monei.connect.example;

import com.monei.connect.client.AuthorizationRequest;
import com.monei.connect.client.CallbackResult;
import com.monei.connect.client.MoneiConnect;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Starting the flow ({@code /connect-monei}) and finishing it ({@code /monei/callback}), through the SDK. */
final class ConnectRoutes {
  static final String SCOPE_PARAM = "scope";

  private final MoneiConnect monei;
  private final Sessions sessions;
  private final Pages pages;

  ConnectRoutes(MoneiConnect monei, Sessions sessions, Pages pages) {
    this.monei = monei;
    this.sessions = sessions;
    this.pages = pages;
  }

  void home(Context ctx) {
    Session session = sessions.findOrStart(ctx);
    boolean connected = monei.grant(session.userKey()).isPresent();
    pages.render(ctx, 200, "home.jte", new Views.Home(connected, session.takeNotice()));
  }

  /** {@code GET /connect-monei[?scope=a b]}: a fresh request (state, PKCE) kept in the session, then off to Monei. */
  void connect(Context ctx) {
    Set<String> scopes = new LinkedHashSet<>();
    String param = ctx.queryParam(SCOPE_PARAM);
    if (param != null) {
      for (String scope : param.trim().split("\\s+")) {
        if (scope.isEmpty()) continue;
        if (!ScopeTexts.known(scope)) {
          pages.render(ctx, 400, "message.jte", new Views.Message("Unknown permission",
              "Your App does not know the permission \"" + scope + "\".", "Back to Your App", "/"));
          return;
        }
        scopes.add(scope);
      }
    }
    if (scopes.isEmpty()) scopes.addAll(ScopeTexts.DEFAULT_SCOPES);
    Session session = sessions.findOrStart(ctx);
    AuthorizationRequest request = monei.authorizationRequest(scopes);
    session.startAuthorization(request);
    ctx.redirect(request.url().toString(), HttpStatus.FOUND);
  }

  /** {@code GET /monei/callback}: the SDK checks state first, then exchanges the code; each outcome has its page. */
  void callback(Context ctx) {
    Session session = sessions.findOrStart(ctx);
    AuthorizationRequest pending = session.takeAuthorization();
    CallbackResult result = monei.handleCallback(ctx.queryString(), pending, session.userKey());
    if (result instanceof CallbackResult.Approved) {
      // The new grant may be another Monei user's; a send held for the old one must not be retried as them.
      session.dropSend();
      ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
    } else if (result instanceof CallbackResult.Denied) {
      List<String> unavailable = new ArrayList<>();
      for (String scope : pending.scopes()) unavailable.add(ScopeTexts.of(scope).unavailable());
      pages.render(ctx, 200, "denied.jte", new Views.Denied(unavailable, ScopeTexts.connectUrl(pending.scopes())));
    } else if (result instanceof CallbackResult.StateMismatch) {
      // Nothing of a forged callback was used, so the browser's own request (if any) may still finish.
      session.restoreAuthorization(pending);
      pages.render(ctx, 400, "mismatch.jte",
          new Views.StateMismatch("/connect-monei"));
    } else if (result instanceof CallbackResult.Failed failed) {
      pages.render(ctx, 400, "failed.jte",
          new Views.Failed(failed.error(), failed.description(), ScopeTexts.connectUrl(pending.scopes())));
    }
  }
}
