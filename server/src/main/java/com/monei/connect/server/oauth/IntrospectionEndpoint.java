package com.monei.connect.server.oauth;

import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.token.TokenRecord;
import com.monei.connect.server.token.TokenService;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * POST /api/v1/connect/introspect (RFC 7662). Callers authenticate as a confidential app and see
 * their own tokens; an app registered as a resource server also sees other apps' access tokens,
 * which is what it is sent. Anything else, like anything not active, is just {"active": false}.
 */
public final class IntrospectionEndpoint {
  /** {@link TokenRecord#type()} of an access token. */
  private static final String ACCESS_TOKEN = "access_token";

  private final ClientAuthenticator clients;
  private final TokenService tokens;
  private final AuthorizationDetails details;
  private final Clock clock;

  public IntrospectionEndpoint(ClientAuthenticator clients, TokenService tokens, AuthorizationDetails details,
      Clock clock) {
    this.clients = clients;
    this.tokens = tokens;
    this.details = details;
    this.clock = clock;
  }

  public void handle(Context ctx) {
    TokenRequest request = TokenRequest.parse(ctx);
    RegisteredApp caller = clients.authenticate(request);
    // RFC 7662 §4: protect the endpoint against token scanning; a public app proves nothing about itself.
    if (caller.isPublic())
      throw new OAuthException(OAuthError.INVALID_CLIENT.withDescription(
          "Introspection needs a confidential app's credentials."), "Basic");
    String token = request.require("token");
    Optional<TokenRecord> found = tokens.find(token);
    Map<String, Object> body = new LinkedHashMap<>();
    if (found.isEmpty() || !found.get().activeAt(clock.instant()) || !mayInspect(caller, found.get())) {
      body.put("active", false);
    } else {
      TokenRecord t = found.get();
      body.put("active", true);
      body.put("scope", String.join(" ", t.scopes()));
      body.put("client_id", t.clientId());
      body.put("sub", t.userId());
      body.put("exp", t.expiresAt().getEpochSecond());
      body.put("iat", t.issuedAt().getEpochSecond());
      body.put("token_type", t.type().equals(ACCESS_TOKEN) ? "Bearer" : "refresh_token");
      details.of(t.clientId(), t.userId(), t.scopes()).ifPresent(d -> body.put("authorization_details", d));
    }
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  /**
   * RFC 7662 §4: "the authorization server MAY respond differently to different protected resources
   * making the same request", and should, so that a token leaked to one app tells it nothing about
   * another app's users. A refresh token is only ever presented to Monei by the app that holds it,
   * so no resource server needs to see another app's.
   */
  private static boolean mayInspect(RegisteredApp caller, TokenRecord token) {
    if (token.clientId().equals(caller.clientId())) return true;
    return caller.resourceServer() && token.type().equals(ACCESS_TOKEN);
  }
}
