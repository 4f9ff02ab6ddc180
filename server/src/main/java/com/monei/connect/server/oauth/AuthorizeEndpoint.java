package com.monei.connect.server.oauth;

import com.monei.connect.server.Config;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ConsentStore;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.token.AuthorizationCode;
import com.monei.connect.server.token.CodeStore;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import com.monei.connect.server.token.TokenStore;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GET /connect/authorize. Checks run in this fixed order: client, redirect URI, response_type,
 * scope, PKCE, prompt, session, consent, then the code. Until the client and redirect URI are
 * verified an error is a page; after that it goes back to the redirect URI with state and iss.
 */
public final class AuthorizeEndpoint {
  /** How long the consent screen may stay open before its answer is refused. */
  public static final Duration PENDING_TTL = Duration.ofMinutes(30);

  private final AppStore apps;
  private final ConsentStore consents;
  private final CodeStore codes;
  private final TokenStore tokens;
  private final PendingAuthorizationStore pending;
  private final Interaction interaction;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;
  private final Config config;

  public AuthorizeEndpoint(AppStore apps, ConsentStore consents, CodeStore codes, TokenStore tokens,
      PendingAuthorizationStore pending, Interaction interaction, Transactions tx, AuditLog audit, Clock clock,
      Config config) {
    this.apps = apps;
    this.consents = consents;
    this.codes = codes;
    this.tokens = tokens;
    this.pending = pending;
    this.interaction = interaction;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
    this.config = config;
  }

  /** The request after the client and redirect URI checks: from here on errors may redirect. */
  private record Target(RegisteredApp app, String redirectUri, boolean redirectUriGiven, String state) {}

  public void handle(Context ctx) {
    Map<String, List<String>> query = ctx.queryParamMap();
    Target target;
    try {
      target = verifyClientAndRedirect(query);
    } catch (OAuthException e) {
      interaction.errorPage(ctx, e.error());
      return;
    }
    try {
      authorize(ctx, query, target);
    } catch (OAuthException e) {
      if (!e.error().mayRedirect()) {
        interaction.errorPage(ctx, e.error());
        return;
      }
      redirect(ctx, target.redirectUri(), OAuthErrorWriter.redirectParams(e.error(), target.state(), config.issuer()),
          HttpStatus.FOUND);
    }
  }

  private Target verifyClientAndRedirect(Map<String, List<String>> query) {
    String clientId = single(query, OAuthParams.CLIENT_ID, false);
    if (clientId == null)
      throw pageError("The request has no client_id, so Monei cannot tell which app sent you here.");
    RegisteredApp app = apps.find(clientId).orElseThrow(() ->
        pageError("The app that sent you here is not registered with Monei."));
    String redirectUri = single(query, OAuthParams.REDIRECT_URI, false);
    boolean given = redirectUri != null;
    if (!given) {
      redirectUri = app.soleRedirectUri();
      if (redirectUri == null)
        throw pageError("The request has no redirect_uri and the app has several registered.");
    } else if (!app.allowsRedirect(redirectUri)) {
      // An unregistered redirect URI could deliver codes to an attacker, so nothing is sent there.
      throw pageError("The redirect URI in the request is not registered for this app.");
    }
    List<String> states = query.get(OAuthParams.STATE);
    String state = states == null || states.size() != 1 ? null : states.get(0);
    return new Target(app, redirectUri, given, state);
  }

  private void authorize(Context ctx, Map<String, List<String>> query, Target target) {
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
      if (e.getValue().size() > 1)
        throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription("The " + e.getKey() + " parameter is repeated."));
    }
    String responseType = single(query, OAuthParams.RESPONSE_TYPE, true);
    if (responseType != null && !responseType.equals(OAuthParams.RESPONSE_TYPE_CODE))
      throw new OAuthException(OAuthError.UNSUPPORTED_RESPONSE_TYPE);

    Set<String> scopes = requestedScopes(single(query, OAuthParams.SCOPE, true));
    String challenge = pkceChallenge(target.app(), query);
    String prompt = single(query, OAuthParams.PROMPT, true);
    if (prompt != null && !prompt.equals(OAuthParams.PROMPT_CONSENT))
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription("Only prompt=consent is supported."));
    boolean forceConsent = prompt != null;

    Optional<Session> session = interaction.signedIn(ctx);
    if (session.isEmpty()) {
      interaction.login(ctx, ctx.path() + "?" + ctx.queryString());
      return;
    }
    String userId = session.get().userId();
    Optional<Consent> consent = consents.find(target.app().clientId(), userId);
    if (!forceConsent && consent.isPresent() && consent.get().covers(scopes)) {
      // Remembered consent: the code carries every scope granted so far (incremental authorization).
      String code = issueCode(target.app().clientId(), userId, target.redirectUri(), target.redirectUriGiven(),
          consent.get().scopes(), challenge);
      redirect(ctx, target.redirectUri(), successParams(code, target.state()), HttpStatus.FOUND);
      return;
    }
    Instant now = clock.instant();
    PendingAuthorization request = new PendingAuthorization(TokenFormat.randomBase62(32),
        Hashes.sha256(session.get().id()), userId, target.app().clientId(), target.redirectUri(),
        target.redirectUriGiven(), scopes, target.state(), challenge, forceConsent, now, now.plus(PENDING_TTL));
    pending.save(request);
    Set<String> granted = forceConsent ? Set.of() : consent.map(Consent::scopes).orElse(Set.of());
    interaction.consent(ctx, request, target.app(), granted);
  }

  /** The user's answer on the consent screen. */
  public record Decision(boolean allow, Set<String> ticked, Consent.SendLimit sendLimit) {}

  /**
   * Resumes a pending request with the user's decision and returns where to send the browser. The
   * server trusts nothing but the choice: granted = requested ∩ ticked, anything else is refused.
   */
  public String decide(PendingAuthorization request, Decision decision) {
    if (!request.scopes().containsAll(decision.ticked()))
      throw new OAuthException(OAuthError.INVALID_SCOPE.withDescription(
          "The form contained a permission the app did not ask for.").withoutRedirect());
    Set<String> ticked = ScopeCatalog.ordered(decision.ticked());
    Consent.SendLimit limit = ticked.contains(ScopeCatalog.WALLET_SEND) ? decision.sendLimit() : null;
    // With prompt=consent every requested scope was offered again, so unticking one withdraws it;
    // otherwise earlier grants stay and the new ones are added (incremental authorization).
    Set<String> withdrawn = new java.util.LinkedHashSet<>();
    if (request.forceConsent()) {
      withdrawn.addAll(request.scopes());
      withdrawn.removeAll(ticked);
    }
    // The request is used up in the transaction that records the answer: both commit, or neither.
    return tx.inTransaction(() -> {
      if (!pending.consume(request.id()))
        throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
            "This request was already answered. Go back to the app and start again.").withoutRedirect());
      if (!decision.allow() || ticked.isEmpty()) {
        audit.record(AuditLog.CONSENT_DENIED, request.userId(), request.clientId(), null,
            String.join(" ", request.scopes()));
        return buildRedirect(request.redirectUri(),
            OAuthErrorWriter.redirectParams(OAuthError.ACCESS_DENIED, request.state(), config.issuer()));
      }
      Set<String> before = consents.find(request.clientId(), request.userId()).map(Consent::scopes).orElse(Set.of());
      if (before.stream().anyMatch(withdrawn::contains)) {
        // A withdrawn scope must stop working at once, so the tokens that carry it go; the code
        // issued below starts a family with what the user allows now.
        tokens.revokeFamilies(request.clientId(), request.userId(), clock.instant());
      }
      Consent consent = consents.grant(request.clientId(), request.userId(), ticked, withdrawn, limit,
          clock.instant());
      audit.record(AuditLog.CONSENT_GRANTED, request.userId(), request.clientId(), null, String.join(" ", ticked));
      String code = issueCode(request.clientId(), request.userId(), request.redirectUri(), request.redirectUriGiven(),
          consent.scopes(), request.codeChallenge());
      return buildRedirect(request.redirectUri(), successParams(code, request.state()));
    });
  }

  private String issueCode(String clientId, String userId, String redirectUri, boolean redirectUriGiven,
      Set<String> scopes, String challenge) {
    String code = TokenFormat.randomBase62(TokenFormat.RANDOM_LENGTH);
    Instant now = clock.instant();
    codes.save(new AuthorizationCode(Hashes.sha256(code), clientId, userId, redirectUri, redirectUriGiven,
        ScopeCatalog.ordered(scopes), challenge, now, now.plus(config.codeTtl()), null, null));
    return code;
  }

  private Map<String, String> successParams(String code, String state) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put(OAuthParams.CODE, code);
    if (state != null) params.put(OAuthParams.STATE, state);
    params.put(OAuthParams.ISS, config.issuer());
    return params;
  }

  private static Set<String> requestedScopes(String scope) {
    if (scope == null || scope.isBlank())
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription("The scope parameter is required."));
    Set<String> scopes = ScopeCatalog.parse(scope);
    for (String s : scopes) {
      if (!ScopeCatalog.isKnown(s))
        throw new OAuthException(OAuthError.INVALID_SCOPE.withDescription("Unknown scope: " + s));
    }
    return ScopeCatalog.ordered(scopes);
  }

  private static String pkceChallenge(RegisteredApp app, Map<String, List<String>> query) {
    String challenge = single(query, OAuthParams.CODE_CHALLENGE, true);
    String method = single(query, OAuthParams.CODE_CHALLENGE_METHOD, true);
    if (challenge == null) {
      if (method != null)
        throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription("code_challenge is missing."));
      if (app.isPublic())
        throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
            "PKCE is required for public apps: send code_challenge with code_challenge_method=S256."));
      return null;
    }
    // Without a method RFC 7636 assumes plain, which we refuse.
    if (!OAuthParams.PKCE_S256.equals(method))
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
          "code_challenge_method must be S256 (plain is not accepted)."));
    if (!Pkce.isValidChallenge(challenge))
      throw new OAuthException(OAuthError.INVALID_REQUEST.withDescription(
          "code_challenge must be the 43-character BASE64URL SHA-256 of the verifier."));
    return challenge;
  }

  private static String single(Map<String, List<String>> query, String name, boolean mayRedirect) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty() || values.get(0).isEmpty()) return null;
    if (values.size() > 1) {
      OAuthError error = OAuthError.INVALID_REQUEST.withDescription("The " + name + " parameter is repeated.");
      throw new OAuthException(mayRedirect ? error : error.withoutRedirect());
    }
    return values.get(0);
  }

  private static OAuthException pageError(String description) {
    return new OAuthException(OAuthError.INVALID_REQUEST.withDescription(description).withoutRedirect());
  }

  private static void redirect(Context ctx, String redirectUri, Map<String, String> params, HttpStatus status) {
    ctx.header("Cache-Control", "no-store");
    ctx.redirect(buildRedirect(redirectUri, params), status);
  }

  /** Appends the parameters to any query the registered URI already has (RFC 6749 §3.1.2). */
  public static String buildRedirect(String redirectUri, Map<String, String> params) {
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
