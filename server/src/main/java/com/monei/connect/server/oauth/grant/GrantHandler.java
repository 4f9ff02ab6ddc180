package com.monei.connect.server.oauth.grant;

import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.oauth.TokenRequest;
import com.monei.connect.server.token.IssuedTokens;

/** One grant type of the token endpoint. Adding a grant is one class and one line where the map is built. */
public interface GrantHandler {
  /** The grant_type value this handler serves. */
  String grantType();

  /** Tokens for an authenticated app, or an OAuthException. */
  IssuedTokens handle(RegisteredApp app, TokenRequest request);
}
