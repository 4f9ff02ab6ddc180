package com.monei.connect.server.oauth;

import com.monei.connect.server.app.RegisteredApp;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An authorization request (RFC 6749 §4.1.1) that passed every check its parameters allow: the
 * app is registered, the redirect URI is one of its own, the scopes are known (in catalog order)
 * and the PKCE challenge is well formed. {@code redirectUriGiven} records whether the request
 * named the redirect URI, since the token request must then repeat it (§4.1.3);
 * {@code forceConsent} is prompt=consent; {@code codeChallenge} is null without PKCE.
 */
public record AuthorizationRequest(RegisteredApp app, String redirectUri, boolean redirectUriGiven, String state,
    Set<String> scopes, String codeChallenge, boolean forceConsent) {

  public AuthorizationRequest {
    scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
  }
}
