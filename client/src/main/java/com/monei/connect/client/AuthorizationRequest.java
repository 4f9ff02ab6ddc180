package com.monei.connect.client;

import java.io.Serializable;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One authorization in progress: the URL to send the user's browser to, and the secrets that bind
 * the callback to it ({@code state}, and the PKCE {@code code_verifier}). Keep it in the user's
 * session until the callback arrives, then pass it to {@link MoneiConnect#handleCallback}; use it
 * once. It is {@link Serializable} for session stores; an app that stores plain strings keeps
 * {@link #url()}, {@link #state()}, {@link #codeVerifier()} and {@link #scopes()} and rebuilds it
 * with {@link #restore}. Its {@link #toString()} leaves the secrets out.
 */
public final class AuthorizationRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Whether Monei may skip the consent screen when the user already granted every requested scope. */
  public enum Prompt {
    /** Skip consent for scopes the user already granted this app (remembered consent). */
    DEFAULT,
    /** Always show the consent screen ({@code prompt=consent}), e.g. to let the user review or withdraw scopes. */
    CONSENT
  }

  private final String url;
  private final String state;
  private final String codeVerifier;
  private final List<String> scopes;

  private AuthorizationRequest(String url, String state, String codeVerifier, Collection<String> scopes) {
    this.url = Objects.requireNonNull(url, "url");
    this.state = Objects.requireNonNull(state, "state");
    this.codeVerifier = codeVerifier;
    this.scopes = List.copyOf(scopes);
  }

  static AuthorizationRequest create(String url, String state, String codeVerifier, Collection<String> scopes) {
    return new AuthorizationRequest(url, state, codeVerifier, scopes);
  }

  /** Rebuilds a request an app stored field by field; {@code codeVerifier} is null when PKCE was off. */
  public static AuthorizationRequest restore(String url, String state, String codeVerifier,
      Collection<String> scopes) {
    URI.create(url);
    return new AuthorizationRequest(url, state, codeVerifier, scopes);
  }

  /** The authorization URL to redirect the user's browser to. */
  public URI url() {
    return URI.create(url);
  }

  /** The {@code state} value (256 random bits, URL-safe) the callback must carry back. */
  public String state() {
    return state;
  }

  /** The PKCE {@code code_verifier} (43 URL-safe characters), or null when PKCE was turned off. */
  public String codeVerifier() {
    return codeVerifier;
  }

  /** The scopes requested, in order. */
  public List<String> scopes() {
    return scopes;
  }

  /** Leaves {@code state} and the verifier out, so logging the value leaks nothing. */
  @Override
  public String toString() {
    return "AuthorizationRequest[scopes=" + scopes + ", pkce=" + (codeVerifier != null) + "]";
  }
}
