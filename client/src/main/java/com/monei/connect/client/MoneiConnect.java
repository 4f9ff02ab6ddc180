package com.monei.connect.client;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Monei Connect SDK: lets your app act on a Monei user's wallet with that user's permission,
 * through the OAuth 2.0 authorization code flow with PKCE. Build one instance at start-up and share
 * it; it is immutable and thread-safe.
 *
 * <pre>{@code
 * MoneiConnect monei = MoneiConnect.builder()
 *     .issuer("https://connect.monei.example")
 *     .clientId(System.getenv("MONEI_CLIENT_ID"))
 *     .clientSecret(System.getenv("MONEI_CLIENT_SECRET"))   // leave out for a public app
 *     .redirectUri("https://yourapp.example/monei/callback")
 *     .tokenStore(new YourDatabaseTokenStore())             // default: in memory
 *     .build();
 *
 * // GET /connect-monei: start the flow, keep the pending request in the user's session.
 * AuthorizationRequest pending = monei.authorizationRequest(Scopes.WALLET_READ, Scopes.PROFILE_READ);
 * session.put("monei", pending);
 * redirect(pending.url());
 *
 * // GET /monei/callback: finish it.
 * CallbackResult result = monei.handleCallback(request.queryString(), session.remove("monei"), currentUserId);
 * if (result instanceof CallbackResult.Approved approved && approved.grant().has(Scopes.WALLET_READ)) {
 *   Wallet wallet = monei.wallet(currentUserId).me();            // refreshes tokens by itself
 *   wallet.balance("NGN").ifPresent(b -> show(b.availableText()));
 * }
 *
 * // Later: a typed error names what is missing.
 * try {
 *   monei.wallet(currentUserId).send(SendMoney.of("friend@example.com", "250.00", "NGN", "Lunch"), sendId);
 * } catch (InsufficientScopeException e) {
 *   redirect(monei.authorizationRequest(e.scope()).url());     // ask for just that scope
 * } catch (ConfirmationRequiredException e) {
 *   keepForRetry(sendId);                                      // same request and key once confirmed
 *   showLink("Confirm this payment in Monei", e.confirmationUrl());
 * } catch (GrantRevokedException e) {
 *   offerToConnectAgain();
 * }
 *
 * // "Disconnect Monei": revoke the grant and forget the tokens.
 * monei.disconnect(currentUserId);
 * }</pre>
 *
 * <p>The SDK depends only on the JDK's {@link HttpClient} and Jackson. Connection failures, {@code 429}
 * and {@code 503} are retried ({@link Builder#retries}); network failures that remain surface as
 * {@link UncheckedIOException}, refusals by Monei as {@link MoneiApiException} and its subclasses, each
 * with the server's {@link MoneiApiException#requestId() request id}. For tokens that survive a
 * restart, use {@link JdbcTokenStore}.
 */
public final class MoneiConnect {
  private static final System.Logger LOG = System.getLogger(MoneiConnect.class.getName());
  private static final String WELL_KNOWN = "/.well-known/oauth-authorization-server";

  private final String issuer;
  private final String clientId;
  private final String redirectUri;
  private final URI authorizationEndpoint;
  private final boolean pkce;
  private final TokenStore store;
  private final Clock clock;
  private final TokenEndpointClient tokenEndpoint;
  private final ApiClient api;

  private MoneiConnect(Builder b) {
    URI issuerUri = b.metadata != null && b.issuer == null ? b.metadata.issuer() : b.issuer;
    if (issuerUri == null) throw new IllegalStateException("issuer is required");
    checkIssuer(issuerUri);
    if (b.metadata != null && !trimSlash(b.metadata.issuer().toString()).equals(trimSlash(issuerUri.toString())))
      throw new IllegalStateException("The metadata is for " + b.metadata.issuer() + ", not " + issuerUri);
    if (b.clientId == null || b.clientId.isBlank())
      throw new IllegalStateException("clientId is " + (b.clientId == null ? "missing" : "blank")
          + ": set the app's client id (mc_...)");
    // A public app leaves the secret unset; a secret set to null or blank is a confidential app whose
    // secret went missing (typically an unset environment variable), which would otherwise run as a
    // public app and fail only at the first code exchange.
    if (b.clientSecretSet && (b.clientSecret == null || b.clientSecret.isBlank()))
      throw new IllegalStateException("clientSecret is " + (b.clientSecret == null ? "null" : "blank")
          + ": set the app's client secret, or leave clientSecret unset for a public app");
    // RFC 9700 §2.1.1: "Public clients MUST use PKCE".
    if (b.clientSecret == null && !b.pkce)
      throw new IllegalStateException("A public app (no client secret) must use PKCE");
    this.issuer = trimSlash(issuerUri.toString());
    this.clientId = b.clientId;
    this.redirectUri = b.redirectUri;
    this.pkce = b.pkce;
    this.store = b.tokenStore != null ? b.tokenStore : new InMemoryTokenStore();
    this.clock = b.clock;
    Transport transport = new Transport(b.httpClient != null ? b.httpClient : Transport.defaultClient(),
        b.requestTimeout, b.retries, b.sleeper, clock);
    Metadata m = b.metadata;
    this.authorizationEndpoint = m != null ? m.authorizationEndpoint() : URI.create(issuer + "/connect/authorize");
    URI token = m != null ? m.tokenEndpoint() : URI.create(issuer + "/api/v1/connect/token");
    URI revoke = m != null && m.revocationEndpoint() != null ? m.revocationEndpoint()
        : URI.create(issuer + "/api/v1/connect/revoke");
    this.tokenEndpoint = new TokenEndpointClient(transport, token, revoke, b.clientId, b.clientSecret);
    TokenRefresher refresher = new TokenRefresher(store, tokenEndpoint, clock);
    this.api = new ApiClient(transport, URI.create(issuer), store, refresher, clock, b.refreshSkew);
  }

  /** A builder; {@code issuer} and {@code clientId} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Reads the server's metadata (RFC 8414) from {@code /.well-known/oauth-authorization-server}. */
  public static Metadata discover(URI issuer) {
    return discover(issuer, Transport.defaultClient());
  }

  /** Reads the server's metadata (RFC 8414) with the given HTTP client. */
  public static Metadata discover(URI issuer, HttpClient httpClient) {
    checkIssuer(issuer);
    // RFC 8414 §3.1: the well-known suffix goes between the host and any path of the issuer.
    String path = issuer.getRawPath() == null ? "" : trimSlash(issuer.getRawPath());
    URI uri = issuer.resolve(WELL_KNOWN + path);
    Transport transport = new Transport(httpClient, Duration.ofSeconds(30));
    HttpResponse<String> response = transport.send(transport.request(uri).GET().build());
    if (response.statusCode() != 200) throw ApiErrors.from(response);
    Metadata metadata;
    try {
      metadata = Metadata.parse(Json.object(response.body()));
    } catch (Json.MalformedJson e) {
      throw new MoneiApiException(response.statusCode(), null, "Invalid metadata at " + uri + ": " + e.getMessage())
          .withRequestId(ApiErrors.requestId(response, null));
    }
    // RFC 8414 §3.3: "The "issuer" value returned MUST be identical to the authorization server's issuer
    // identifier value into which the well-known URI string was inserted to create the URL used to
    // retrieve the metadata. If these values are not identical, the data contained in the response
    // MUST NOT be used."
    if (!trimSlash(metadata.issuer().toString()).equals(trimSlash(issuer.toString())))
      throw new MoneiApiException(response.statusCode(), null,
          "The metadata names issuer " + metadata.issuer() + ", not " + issuer)
          .withRequestId(ApiErrors.requestId(response, null));
    return metadata;
  }

  /** The issuer this instance talks to, as callbacks must name it in {@code iss}. */
  public String issuer() {
    return issuer;
  }

  /** The app's client id. */
  public String clientId() {
    return clientId;
  }

  /** A new authorization request for {@code scopes} (see {@link Scopes}): fresh state and PKCE pair. */
  public AuthorizationRequest authorizationRequest(String... scopes) {
    return authorizationRequest(Arrays.asList(scopes), AuthorizationRequest.Prompt.DEFAULT);
  }

  /** A new authorization request for {@code scopes}: fresh state and PKCE pair. */
  public AuthorizationRequest authorizationRequest(Collection<String> scopes) {
    return authorizationRequest(scopes, AuthorizationRequest.Prompt.DEFAULT);
  }

  /**
   * A new authorization request for {@code scopes}; {@link AuthorizationRequest.Prompt#CONSENT} shows
   * the consent screen even for scopes the user already granted.
   */
  public AuthorizationRequest authorizationRequest(Collection<String> scopes, AuthorizationRequest.Prompt prompt) {
    Objects.requireNonNull(scopes, "scopes");
    Set<String> requested = new LinkedHashSet<>();
    for (String scope : scopes) {
      // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), joined by single spaces.
      if (scope == null || scope.isEmpty() || !scope.chars().allMatch(c -> c == 0x21 || c >= 0x23 && c <= 0x7E && c != 0x5C))
        throw new IllegalArgumentException("Not a scope: \"" + scope + "\"");
      requested.add(scope);
    }
    if (requested.isEmpty()) throw new IllegalArgumentException("Request at least one scope");
    String state = Pkce.random();
    String verifier = pkce ? Pkce.random() : null;
    Map<String, String> params = new LinkedHashMap<>();
    params.put(OAuthParams.RESPONSE_TYPE, OAuthParams.RESPONSE_TYPE_CODE);
    params.put(OAuthParams.CLIENT_ID, clientId);
    params.put(OAuthParams.REDIRECT_URI, redirectUri);
    params.put(OAuthParams.SCOPE, String.join(" ", requested));
    params.put(OAuthParams.STATE, state);
    if (verifier != null) {
      params.put(OAuthParams.CODE_CHALLENGE, Pkce.challenge(verifier));
      params.put(OAuthParams.CODE_CHALLENGE_METHOD, OAuthParams.PKCE_S256);
    }
    if (prompt == AuthorizationRequest.Prompt.CONSENT) params.put(OAuthParams.PROMPT, OAuthParams.PROMPT_CONSENT);
    String base = authorizationEndpoint.toString();
    String url = base + (authorizationEndpoint.getRawQuery() == null ? "?" : "&") + Form.encode(params);
    return AuthorizationRequest.create(url, state, verifier, requested);
  }

  /**
   * Finishes an authorization from the callback's raw query string (with or without its leading
   * {@code ?}); see {@link #handleCallback(Map, AuthorizationRequest, String)}.
   */
  public CallbackResult handleCallback(String rawQuery, AuthorizationRequest pending, String userKey) {
    return callback(Form.parse(rawQuery), pending, userKey);
  }

  /**
   * Finishes an authorization from the callback's query parameters. Checks {@code state} against
   * {@code pending} first (a mismatch, or a null {@code pending}, is {@link CallbackResult.StateMismatch}
   * and nothing else is looked at), then {@code iss}, then a denial or error; otherwise exchanges the
   * code and stores the tokens under {@code userKey}, replacing (and revoking) any stored before.
   *
   * @param queryParams the callback's query parameters, decoded
   * @param pending the request this browser started, from its session; null when there is none
   * @param userKey the app's identifier for the signed-in user, the key for the {@link TokenStore}
   * @return the outcome, which the app shows
   */
  public CallbackResult handleCallback(Map<String, String> queryParams, AuthorizationRequest pending,
      String userKey) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    queryParams.forEach((k, v) -> params.put(k, v == null ? List.of() : List.of(v)));
    return callback(params, pending, userKey);
  }

  private CallbackResult callback(Map<String, List<String>> params, AuthorizationRequest pending, String userKey) {
    Objects.requireNonNull(userKey, "userKey");
    // RFC 6749 §10.12: the client "MUST implement CSRF protection for its redirection URI"; the state
    // check comes before anything else, so a code injected with someone else's state is never redeemed.
    List<String> states = params.getOrDefault(OAuthParams.STATE, List.of());
    if (pending == null || states.size() != 1 || !Pkce.constantTimeEquals(pending.state(), states.get(0)))
      return new CallbackResult.StateMismatch();
    for (String name : List.of(OAuthParams.CODE, OAuthParams.ERROR, OAuthParams.ISS)) {
      // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
      if (params.getOrDefault(name, List.of()).size() > 1)
        return new CallbackResult.Failed(ErrorCodes.INVALID_REQUEST, "The callback repeats " + name + ".");
    }
    String iss = single(params, OAuthParams.ISS);
    // RFC 9207 §2.4: "clients MUST compare the iss parameter value to the issuer identifier of the
    // authorization server where the authorization request was sent to" — a mix-up defence.
    if (iss != null && !trimSlash(iss).equals(issuer))
      return new CallbackResult.Failed(ErrorCodes.ISSUER_MISMATCH,
          "The callback comes from issuer " + iss + ", not " + issuer + ".");
    String error = single(params, OAuthParams.ERROR);
    String description = single(params, OAuthParams.ERROR_DESCRIPTION);
    if (error != null && !error.isEmpty()) {
      return ErrorCodes.ACCESS_DENIED.equals(error) ? new CallbackResult.Denied(description)
          : new CallbackResult.Failed(error, description);
    }
    String code = single(params, OAuthParams.CODE);
    if (code == null || code.isEmpty())
      return new CallbackResult.Failed(ErrorCodes.INVALID_REQUEST, "The callback carries neither a code nor an error.");

    TokenResponse response;
    try {
      response = tokenEndpoint.exchangeCode(code, redirectUri, pending.codeVerifier());
    } catch (TokenRequestException e) {
      return new CallbackResult.Failed(e.error() != null ? e.error() : ErrorCodes.SERVER_ERROR,
          e.description() != null ? e.description() : e.getMessage());
    } catch (UncheckedIOException e) {
      // The callback is a page the user is looking at: an outage deserves a page, not an error trace.
      return new CallbackResult.Failed(ErrorCodes.NETWORK_ERROR, "Monei could not be reached: " + e.getMessage());
    }
    StoredTokens tokens = response.toStored(clock.instant(), null, pending.scopes());
    Optional<StoredTokens> previous = store.load(userKey);
    store.save(userKey, tokens);
    previous.ifPresent(this::retire);
    return new CallbackResult.Approved(tokens.grant(userKey));
  }

  /**
   * Revokes the grant a new connection replaced: the app can no longer use it, and while it lives
   * Monei would keep listing the app among the user's connections after a later disconnect.
   */
  private void retire(StoredTokens replaced) {
    try {
      revoke(replaced);
    } catch (MoneiApiException | UncheckedIOException e) {
      LOG.log(System.Logger.Level.WARNING, "Could not revoke a replaced Monei grant: {0}", e.getMessage());
    }
  }

  /** What the user granted, from the stored tokens; empty when the user has not connected. */
  public Optional<Grant> grant(String userKey) {
    return store.load(Objects.requireNonNull(userKey, "userKey")).map(t -> t.grant(userKey));
  }

  /** The wallet API as {@code userKey}. */
  public WalletApi wallet(String userKey) {
    return new WalletApi(api, userKey);
  }

  /** The profile API as {@code userKey}. */
  public ProfileApi profile(String userKey) {
    return new ProfileApi(api, userKey);
  }

  /**
   * Revokes the user's grant at Monei (RFC 7009; Monei then forgets the consent and drops the app from
   * the user's connections) and deletes the stored tokens. Does nothing when none are stored. When
   * revocation fails the tokens are kept, so the call can be repeated.
   */
  public void disconnect(String userKey) {
    Optional<StoredTokens> stored = store.load(Objects.requireNonNull(userKey, "userKey"));
    if (stored.isEmpty()) return;
    revoke(stored.get());
    store.delete(userKey);
  }

  private void revoke(StoredTokens tokens) {
    // RFC 7009 §2.1: revoking a refresh token "SHOULD also invalidate all access tokens based on the same
    // authorization grant", which Monei does for the whole token family.
    if (tokens.refreshToken() != null) {
      tokenEndpoint.revoke(tokens.refreshToken(), OAuthParams.REFRESH_TOKEN);
    } else {
      tokenEndpoint.revoke(tokens.accessToken(), OAuthParams.ACCESS_TOKEN);
    }
  }

  private static String single(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String trimSlash(String text) {
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  private static void checkIssuer(URI issuer) {
    String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
    if (!issuer.isAbsolute() || issuer.getHost() == null || !(scheme.equals("https") || scheme.equals("http")))
      throw new IllegalArgumentException("The issuer must be an absolute https URL: " + issuer);
    // RFC 8414 §2: the issuer is "a URL that uses the "https" scheme and has no query or fragment components".
    if (issuer.getRawQuery() != null || issuer.getRawFragment() != null)
      throw new IllegalArgumentException("The issuer has no query or fragment: " + issuer);
    if (scheme.equals("http") && !isLoopback(issuer.getHost()))
      throw new IllegalArgumentException("The issuer must use https (http is accepted for localhost only): " + issuer);
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.endsWith(".localhost");
  }

  /** Settings for {@link MoneiConnect}; each has a sensible default except the issuer and client id. */
  public static final class Builder {
    private URI issuer;
    private Metadata metadata;
    private String clientId;
    private String clientSecret;
    private boolean clientSecretSet;
    private String redirectUri;
    private TokenStore tokenStore;
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Duration refreshSkew = Duration.ofSeconds(60);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private boolean pkce = true;
    private int retries = 2;
    private Transport.Sleeper sleeper = Transport.THREAD_SLEEP;

    private Builder() {}

    /** Monei's issuer URL, e.g. {@code https://connect.monei.example}; endpoints are derived from it. */
    public Builder issuer(URI value) {
      this.issuer = Objects.requireNonNull(value, "issuer");
      return this;
    }

    /** Monei's issuer URL as a string. */
    public Builder issuer(String value) {
      return issuer(URI.create(Objects.requireNonNull(value, "issuer")));
    }

    /** Endpoints from {@link MoneiConnect#discover} instead of derived ones; also sets the issuer if unset. */
    public Builder metadata(Metadata value) {
      this.metadata = Objects.requireNonNull(value, "metadata");
      return this;
    }

    /** The app's client id ({@code mc_…}) from Monei's developer portal. */
    public Builder clientId(String value) {
      this.clientId = value;
      return this;
    }

    /**
     * The confidential app's client secret ({@code mcs_…}); leave unset for a public app. Setting it to
     * null or a blank string makes {@link #build()} fail, so a missing secret is found at start-up.
     */
    public Builder clientSecret(String value) {
      this.clientSecret = value;
      this.clientSecretSet = true;
      return this;
    }

    /** The callback URL, exactly as registered; may be left unset when the app registered exactly one. */
    public Builder redirectUri(String value) {
      this.redirectUri = value;
      return this;
    }

    /** The callback URL, exactly as registered. */
    public Builder redirectUri(URI value) {
      return redirectUri(value == null ? null : value.toString());
    }

    /** Where users' tokens are kept; default {@link InMemoryTokenStore}. */
    public Builder tokenStore(TokenStore value) {
      this.tokenStore = Objects.requireNonNull(value, "tokenStore");
      return this;
    }

    /** The HTTP client to use; default one that never follows redirects. */
    public Builder httpClient(HttpClient value) {
      this.httpClient = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /** The clock that decides when tokens expire; default the system clock (UTC). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * How long before expiry an access token is refreshed ahead of a call; default 60 seconds, and at
     * most a quarter of the token's lifetime.
     */
    public Builder refreshSkew(Duration value) {
      if (Objects.requireNonNull(value, "refreshSkew").isNegative())
        throw new IllegalArgumentException("refreshSkew must not be negative");
      this.refreshSkew = value;
      return this;
    }

    /** How long one HTTP request may take; default 30 seconds. */
    public Builder requestTimeout(Duration value) {
      if (Objects.requireNonNull(value, "requestTimeout").isNegative() || value.isZero())
        throw new IllegalArgumentException("requestTimeout must be positive");
      this.requestTimeout = value;
      return this;
    }

    /**
     * Whether to use PKCE (RFC 7636, S256); default and required for public apps: true. Turn it off
     * only for a confidential app talking to a server that refuses PKCE.
     */
    public Builder pkce(boolean value) {
      this.pkce = value;
      return this;
    }

    /**
     * How many times a failed request is retried; default 2, and 0 turns retries off. Only failures
     * where Monei did not act are retried: no connection, {@code 429 Too Many Requests} and
     * {@code 503 Service Unavailable}. The wait doubles from 100 ms up to 2 seconds, randomised so
     * many apps do not retry in step, and is at least what the server's {@code Retry-After} asks;
     * when that is over 30 seconds the error goes to the app instead. API calls and token refreshes
     * are retried; a send is retried with its same Idempotency-Key and body, so it never pays twice.
     */
    public Builder retries(int maxRetries) {
      if (maxRetries < 0) throw new IllegalArgumentException("retries must not be negative");
      this.retries = maxRetries;
      return this;
    }

    /** Replaces the wait between retries (tests). */
    Builder sleeper(Transport.Sleeper value) {
      this.sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    /** The configured instance; throws {@link IllegalStateException} when a required setting is missing. */
    public MoneiConnect build() {
      return new MoneiConnect(this);
    }
  }

  @Override
  public String toString() {
    return "MoneiConnect[issuer=" + issuer + ", clientId=" + clientId + "]";
  }
}
