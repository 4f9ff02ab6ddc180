package com.monei.connect.server.oauth;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.app.RegisteredApp;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;

/**
 * What the authorization endpoint needs from the web layer: who is signed in, and the pages of the
 * login and consent interactions. The protocol decides; the pages only ask the user.
 */
public interface Interaction {
  Optional<Session> signedIn(Context ctx);

  /** Sends the browser to sign in, then back to {@code returnTo} (a same-origin path). */
  void login(Context ctx, String returnTo);

  /** Shows the consent screen for a pending request; {@code alreadyGranted} is what the app holds already. */
  void consent(Context ctx, PendingAuthorization pending, RegisteredApp app, Set<String> alreadyGranted);

  /** An error page, used when the app or its redirect URI cannot be trusted with a redirect. */
  void errorPage(Context ctx, OAuthError error);
}
