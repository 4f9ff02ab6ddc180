package com.monei.connect.server.oauth;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import java.time.Clock;

/**
 * Authenticates the app at the token endpoint: HTTP Basic or client_secret in the body for
 * confidential apps, client_id alone for public ones (which PKCE then binds to the code).
 */
public final class ClientAuthenticator {
  private final AppStore apps;
  private final Clock clock;

  public ClientAuthenticator(AppStore apps, Clock clock) {
    this.apps = apps;
    this.clock = clock;
  }

  public RegisteredApp authenticate(TokenRequest request) {
    String bodyId = request.param(OAuthParams.CLIENT_ID);
    String bodySecret = request.param(OAuthParams.CLIENT_SECRET);
    boolean basic = request.basicClientId() != null;
    // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
    if (basic && bodySecret != null)
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
          "Use HTTP Basic or client_secret in the body, not both."));
    if (basic && bodyId != null && !bodyId.equals(request.basicClientId()))
      throw fail("client_id does not match the HTTP Basic credentials.");
    String clientId = basic ? request.basicClientId() : bodyId;
    String secret = basic ? request.basicClientSecret() : bodySecret;
    if (clientId == null || clientId.isEmpty()) throw fail("client_id is required.");

    AppStore.WithSecrets found = apps.findWithSecrets(clientId, clock.instant())
        .orElseThrow(() -> fail("Unknown client."));
    RegisteredApp app = found.app();
    if (app.isPublic()) {
      if (secret != null && !secret.isEmpty()) throw fail("Public apps have no client secret.");
      return app;
    }
    if (secret == null || secret.isEmpty()) throw fail("This app must authenticate with its client secret.");
    if (!TokenFormat.isWellFormed(secret, TokenFormat.CLIENT_SECRET)) throw fail("Wrong client secret.");
    String presented = Hashes.sha256(secret);
    boolean matched = false;
    for (String hash : found.validSecretHashes()) matched |= Hashes.constantTimeEquals(hash, presented);
    if (!matched) throw fail("Wrong client secret.");
    return app;
  }

  /**
   * RFC 6749 §5.2: with credentials in the Authorization header the server "MUST include the
   * WWW-Authenticate response header field matching the authentication scheme used by the client";
   * Basic is the one header scheme taken, so every invalid_client names it.
   */
  private static OAuthException fail(String description) {
    return new OAuthException(OAuthError.INVALID_CLIENT.withDescription(description), "Basic");
  }
}
