package com.monei.connect.server.app;

import java.util.List;

/**
 * A third-party app registered with Monei. Public apps have no secret and must use PKCE. A resource
 * server (always confidential) may also introspect other apps' access tokens. The website and
 * privacy-policy URLs (https, or null) and whether an operator verified the app show on the consent
 * screen.
 */
public record RegisteredApp(String clientId, String name, boolean isPublic, List<String> redirectUris,
    boolean hasLogo, String ownerUserId, boolean resourceServer, String websiteUrl, String privacyUrl,
    boolean verified) {

  /** An unverified app without website or privacy-policy links. */
  public RegisteredApp(String clientId, String name, boolean isPublic, List<String> redirectUris, boolean hasLogo,
      String ownerUserId, boolean resourceServer) {
    this(clientId, name, isPublic, redirectUris, hasLogo, ownerUserId, resourceServer, null, null, false);
  }

  /** True when {@code uri} is registered, compared exactly (RFC 9700 §4.1.3: no partial matching). */
  public boolean allowsRedirect(String uri) {
    return redirectUris.contains(uri);
  }

  /** The single registered URI that may stand in when a request names none. */
  public String soleRedirectUri() {
    return redirectUris.size() == 1 ? redirectUris.get(0) : null;
  }

  /** One or two letters shown when the app has no logo. */
  public String monogram() {
    String trimmed = name.strip();
    return trimmed.isEmpty() ? "?" : trimmed.substring(0, trimmed.offsetByCodePoints(0, 1)).toUpperCase();
  }
}
