package com.monei.connect.server.web;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.oauth.Interaction;
import com.monei.connect.server.oauth.OAuthError;
import com.monei.connect.server.oauth.PendingAuthorization;
import io.javalin.http.Context;
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
    BrowserSessions.sendToLogin(ctx, returnTo);
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
