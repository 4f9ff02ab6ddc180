package com.monei.connect.server.oauth;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.consent.ScopeCatalog;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the query of GET /connect/authorize into a verified {@link AuthorizationRequest}, checking
 * in this fixed order: client, redirect URI, response_type, scope, PKCE, prompt. The session,
 * consent and code come after, in {@link AuthorizeEndpoint}. Any refusal is an
 * {@link AuthorizationRequestException}, which goes back to the app only once the client and the
 * redirect URI are verified.
 */
public final class AuthorizationRequestConverter {
  private final AppStore apps;

  public AuthorizationRequestConverter(AppStore apps) {
    this.apps = apps;
  }

  /** The app and redirect URI, verified: from here on an error may go back to the app. */
  private record Client(RegisteredApp app, String redirectUri, boolean redirectUriGiven, String state) {}

  public AuthorizationRequest convert(Map<String, List<String>> query) {
    Client client;
    try {
      client = verifyClientAndRedirectUri(query);
    } catch (OAuthException e) {
      // In case the client or redirect_uri could not be verified no response may go to the
      // redirect URI: it is rendered instead.
      throw new AuthorizationRequestException(e.error(), null, null);
    }
    try {
      noRepeatedParameters(query);
      responseType(query);
      Set<String> scopes = scopes(query);
      String challenge = pkceChallenge(client.app(), query);
      boolean forceConsent = promptConsent(query);
      return new AuthorizationRequest(client.app(), client.redirectUri(), client.redirectUriGiven(), client.state(),
          scopes, challenge, forceConsent);
    } catch (OAuthException e) {
      throw new AuthorizationRequestException(e.error(), client.redirectUri(), client.state());
    }
  }

  private Client verifyClientAndRedirectUri(Map<String, List<String>> query) {
    String clientId = single(query, OAuthParams.CLIENT_ID);
    if (clientId == null) throw invalid("The request has no client_id, so Monei cannot tell which app sent you here.");
    RegisteredApp app = apps.find(clientId).orElseThrow(() ->
        invalid("The app that sent you here is not registered with Monei."));
    String redirectUri = single(query, OAuthParams.REDIRECT_URI);
    boolean given = redirectUri != null;
    if (!given) {
      // RFC 6749 §3.1.2.3: "If multiple redirection URIs have been registered ... the client MUST
      // include a redirection URI with the authorization request".
      redirectUri = app.soleRedirectUri();
      if (redirectUri == null) throw invalid("The request has no redirect_uri and the app has several registered.");
    } else if (!app.allowsRedirect(redirectUri)) {
      // An unregistered redirect URI could deliver codes to an attacker, so nothing is sent there.
      throw invalid("The redirect URI in the request is not registered for this app.");
    }
    List<String> states = query.get(OAuthParams.STATE);
    String state = states == null || states.size() != 1 ? null : states.get(0);
    return new Client(app, redirectUri, given, state);
  }

  private static void noRepeatedParameters(Map<String, List<String>> query) {
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
      if (e.getValue().size() > 1) throw invalid("The " + e.getKey() + " parameter is repeated.");
    }
  }

  private static void responseType(Map<String, List<String>> query) {
    String responseType = single(query, OAuthParams.RESPONSE_TYPE);
    if (responseType != null && !responseType.equals(OAuthParams.RESPONSE_TYPE_CODE))
      throw new OAuthException(OAuthError.UNSUPPORTED_RESPONSE_TYPE);
  }

  private static Set<String> scopes(Map<String, List<String>> query) {
    String scope = single(query, OAuthParams.SCOPE);
    if (scope == null || scope.isBlank()) throw invalid("The scope parameter is required.");
    Set<String> scopes = ScopeCatalog.parse(scope);
    for (String s : scopes) {
      if (!ScopeCatalog.isKnown(s))
        throw new OAuthException(OAuthError.INVALID_SCOPE.withDescription("Unknown scope: " + s));
    }
    return ScopeCatalog.ordered(scopes);
  }

  private static String pkceChallenge(RegisteredApp app, Map<String, List<String>> query) {
    String challenge = single(query, OAuthParams.CODE_CHALLENGE);
    String method = single(query, OAuthParams.CODE_CHALLENGE_METHOD);
    if (challenge == null) {
      if (method != null) throw invalid("code_challenge is missing.");
      if (app.isPublic())
        throw invalid("PKCE is required for public apps: send code_challenge with code_challenge_method=S256.");
      return null;
    }
    // Without a method RFC 7636 assumes plain, which we refuse.
    if (!OAuthParams.PKCE_S256.equals(method))
      throw invalid("code_challenge_method must be S256 (plain is not accepted).");
    if (!Pkce.isValidChallenge(challenge))
      throw invalid("code_challenge must be the 43-character BASE64URL SHA-256 of the verifier.");
    return challenge;
  }

  /** True for prompt=consent, the only prompt supported: the consent screen is shown again. */
  private static boolean promptConsent(Map<String, List<String>> query) {
    String prompt = single(query, OAuthParams.PROMPT);
    if (prompt != null && !prompt.equals(OAuthParams.PROMPT_CONSENT))
      throw invalid("Only prompt=consent is supported.");
    return prompt != null;
  }

  /** The parameter's one value; null when absent or empty. */
  private static String single(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty() || values.get(0).isEmpty()) return null;
    if (values.size() > 1) throw invalid("The " + name + " parameter is repeated.");
    return values.get(0);
  }

  private static OAuthException invalid(String description) {
    return new OAuthException(OAuthError.INVALID_REQUEST.withDescription(description));
  }
}
