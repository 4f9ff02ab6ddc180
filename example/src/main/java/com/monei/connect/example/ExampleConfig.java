package com.monei.connect.example;

import java.net.URI;
import java.util.Objects;

/**
 * The settings of "Your App": where it listens, which Monei it talks to, and the credentials Monei
 * gave it at registration.
 *
 * @param port the port to listen on (0 picks a free one)
 * @param issuer Monei's issuer URL, e.g. {@code http://localhost:8080}
 * @param clientId the app's client id ({@code mc_…})
 * @param clientSecret the app's client secret ({@code mcs_…})
 * @param redirectUri the callback URL exactly as registered, ending in {@link #CALLBACK_PATH}
 * @param cookieName the session cookie's name; distinct from Monei's, since cookies on localhost are shared across ports
 */
public record ExampleConfig(int port, String issuer, String clientId, String clientSecret, String redirectUri,
    String cookieName) {
  /** The path Monei sends the browser back to. */
  public static final String CALLBACK_PATH = "/monei/callback";
  /** The session cookie's default name (Monei's own is {@code monei_session}). */
  public static final String DEFAULT_COOKIE_NAME = "yourapp_session";

  /** Checks the fields. */
  public ExampleConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(redirectUri, "redirectUri");
    if (!URI.create(redirectUri).getPath().equals(CALLBACK_PATH))
      throw new IllegalArgumentException("The redirect URI must end in " + CALLBACK_PATH + ": " + redirectUri);
    if (cookieName == null || cookieName.isBlank()) throw new IllegalArgumentException("cookieName is required");
  }

  /** Settings with the default cookie name. */
  public static ExampleConfig of(int port, String issuer, String clientId, String clientSecret, String redirectUri) {
    return new ExampleConfig(port, issuer, clientId, clientSecret, redirectUri, DEFAULT_COOKIE_NAME);
  }

  /** The same settings with another cookie name. */
  public ExampleConfig withCookieName(String value) {
    return new ExampleConfig(port, issuer, clientId, clientSecret, redirectUri, value);
  }

  /** Whether the session cookie gets {@code Secure}: whenever the app is served over https. */
  public boolean secureCookies() {
    return redirectUri.startsWith("https:");
  }
}
