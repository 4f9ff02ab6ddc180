package com.monei.connect.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code monei.connect.*} settings from which {@link MoneiConnectAutoConfiguration} builds the app's
 * {@link com.monei.connect.client.MoneiConnect}.
 */
@ConfigurationProperties(MoneiConnectProperties.PREFIX)
public class MoneiConnectProperties {
  /** The prefix of these settings. */
  public static final String PREFIX = "monei.connect";

  /** Monei's issuer URL, e.g. https://connect.monei.example; required. */
  private String issuer;
  /** The app's client id (mc_...) from Monei's developer portal; required. */
  private String clientId;
  /** The confidential app's client secret (mcs_...); leave unset for a public app. */
  private String clientSecret;
  /** The callback URL exactly as registered; may be left unset when the app registered exactly one. */
  private String redirectUri;
  /** How many times a request Monei did not act on is retried; 0 turns retries off. */
  private int retries = 2;
  /** Where users' tokens are kept when the app has a DataSource. */
  private final TokenStore tokenStore = new TokenStore();

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public String getClientId() {
    return clientId;
  }

  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  public String getClientSecret() {
    return clientSecret;
  }

  public void setClientSecret(String clientSecret) {
    this.clientSecret = clientSecret;
  }

  public String getRedirectUri() {
    return redirectUri;
  }

  public void setRedirectUri(String redirectUri) {
    this.redirectUri = redirectUri;
  }

  public int getRetries() {
    return retries;
  }

  public void setRetries(int retries) {
    this.retries = retries;
  }

  public TokenStore getTokenStore() {
    return tokenStore;
  }

  /**
   * The key that encrypts tokens in the app's database ({@code monei_connect_tokens}); with a DataSource and a
   * key, tokens are kept there, otherwise in memory.
   */
  public static class TokenStore {
    /** A short name for the key, stored beside each row so a later key can still read older rows. */
    private String keyId;
    /** The AES-256 key, 32 bytes in base64; keep it out of the source (e.g. an environment variable). */
    private String key;

    public String getKeyId() {
      return keyId;
    }

    public void setKeyId(String keyId) {
      this.keyId = keyId;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }
  }
}
