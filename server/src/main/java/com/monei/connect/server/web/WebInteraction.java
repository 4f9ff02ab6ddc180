package com.monei.connect.server.web;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.oauth.Interaction;
import com.monei.connect.server.oauth.OAuthError;
import com.monei.connect.server.oauth.PendingAuthorization;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** The web layer's side of the login and consent interactions. */
public final class WebInteraction implements Interaction {
  private final BrowserSessions sessions;
  private final ConsentPage consentPage;
  private final ErrorPages errors;

  public WebInteraction(BrowserSessions sessions, ConsentPage consentPage, ErrorPages errors) {
    this.sessions = sessions;
    this.consentPage = consentPage;
    this.errors = errors;
  }

  @Override
  public Optional<Session> signedIn(Context ctx) {
    return sessions.signedIn(ctx);
  }

  @Override
  public void login(Context ctx, String returnTo) {
    ctx.header("Cache-Control", "no-store");
    ctx.redirect("/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8), HttpStatus.FOUND);
  }

  @Override
  public void consent(Context ctx, PendingAuthorization pending, RegisteredApp app, Set<String> alreadyGranted) {
    Session session = sessions.signedIn(ctx).orElseThrow();
    consentPage.show(ctx, 200, session, pending, app, alreadyGranted, null, null, null, null);
  }

  @Override
  public void errorPage(Context ctx, OAuthError error) {
    errors.unusableLink(ctx, error);
  }
}
