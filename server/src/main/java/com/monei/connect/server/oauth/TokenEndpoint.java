package com.monei.connect.server.oauth;

import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.oauth.grant.GrantHandler;
import com.monei.connect.server.token.IssuedTokens;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** POST /api/v1/connect/token: parse, authenticate the app, dispatch on grant_type, write the tokens. */
public final class TokenEndpoint {
  private final ClientAuthenticator clients;
  private final AuthorizationDetails details;
  private final Map<String, GrantHandler> grants = new LinkedHashMap<>();

  public TokenEndpoint(ClientAuthenticator clients, AuthorizationDetails details, List<GrantHandler> handlers) {
    this.clients = clients;
    this.details = details;
    for (GrantHandler h : handlers) grants.put(h.grantType(), h);
  }

  public List<String> grantTypes() {
    return new ArrayList<>(grants.keySet());
  }

  public void handle(Context ctx) {
    TokenRequest request = TokenRequest.parse(ctx);
    String grantType = request.require(OAuthParams.GRANT_TYPE);
    RegisteredApp app = clients.authenticate(request);
    GrantHandler handler = grants.get(grantType);
    if (handler == null)
      throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE.withDescription(
          "Unsupported grant_type; use one of " + String.join(", ", grants.keySet()) + "."));
    IssuedTokens tokens = handler.handle(app, request);
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
    Map<String, Object> body = body(tokens);
    details.of(app.clientId(), tokens.userId(), tokens.scopes()).ifPresent(d -> body.put("authorization_details", d));
    ctx.json(body);
  }

  static Map<String, Object> body(IssuedTokens tokens) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", tokens.accessToken());
    body.put("refresh_token", tokens.refreshToken());
    body.put("token_type", "Bearer");
    body.put("expires_in", tokens.expiresIn());
    body.put("scopes", List.copyOf(tokens.scopes()));
    body.put("scope", String.join(" ", tokens.scopes()));
    return body;
  }
}
