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
 * POST /api/v1/connect/introspect (RFC 7662), for resource servers. Callers authenticate as a
 * confidential app; anything not active is just {"active": false}.
 */
public final class IntrospectionEndpoint {
  private final ClientAuthenticator clients;
  private final TokenService tokens;
  private final Clock clock;

  public IntrospectionEndpoint(ClientAuthenticator clients, TokenService tokens, Clock clock) {
    this.clients = clients;
    this.tokens = tokens;
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
    if (found.isEmpty() || !found.get().activeAt(clock.instant())) {
      body.put("active", false);
    } else {
      TokenRecord t = found.get();
      body.put("active", true);
      body.put("scope", String.join(" ", t.scopes()));
      body.put("client_id", t.clientId());
      body.put("sub", t.userId());
      body.put("exp", t.expiresAt().getEpochSecond());
      body.put("iat", t.issuedAt().getEpochSecond());
      body.put("token_type", t.type().equals("access_token") ? "Bearer" : "refresh_token");
    }
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }
}
