package com.monei.connect.server.oauth;

import com.monei.connect.server.Config;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.AuthorizationCode;
import com.monei.connect.server.token.CodeStore;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The authorization response (RFC 6749 §4.1.2): issues the code, stored by its hash and bound to
 * the app, user, redirect URI, scopes and PKCE challenge, and builds the redirect that delivers it
 * or an error, always with {@code iss} (RFC 9207). Shared by remembered consent and the consent
 * screen's answer.
 */
public final class AuthorizationCodeIssuer {
  private final CodeStore codes;
  private final Clock clock;
  private final Config config;

  public AuthorizationCodeIssuer(CodeStore codes, Clock clock, Config config) {
    this.codes = codes;
    this.clock = clock;
    this.config = config;
  }

  /** Stores a new code and returns the redirect URI with code, state and iss. */
  public String issue(String clientId, String userId, String redirectUri, boolean redirectUriGiven,
      Set<String> scopes, String codeChallenge, String state) {
    String code = TokenFormat.randomBase62(TokenFormat.RANDOM_LENGTH);
    Instant now = clock.instant();
    codes.save(new AuthorizationCode(Hashes.sha256(code), clientId, userId, redirectUri, redirectUriGiven,
        ScopeCatalog.ordered(scopes), codeChallenge, now, now.plus(config.codeTtl()), null, null));
    Map<String, String> params = new LinkedHashMap<>();
    params.put(OAuthParams.CODE, code);
    if (state != null) params.put(OAuthParams.STATE, state);
    params.put(OAuthParams.ISS, config.issuer());
    return buildRedirect(redirectUri, params);
  }

  /** The redirect URI with the error, state and iss (RFC 6749 §4.1.2.1). */
  public String errorRedirect(String redirectUri, OAuthError error, String state) {
    return buildRedirect(redirectUri, OAuthErrorWriter.redirectParams(error, state, config.issuer()));
  }

  /** Appends the parameters to any query the registered URI already has (RFC 6749 §3.1.2). */
  static String buildRedirect(String redirectUri, Map<String, String> params) {
    StringBuilder sb = new StringBuilder(redirectUri);
    char sep = redirectUri.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      sb.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
      sep = '&';
    }
    return sb.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
