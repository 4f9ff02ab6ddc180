package com.monei.connect.server.oauth;

/** Parameter names and values of the protocol, written once. */
public final class OAuthParams {
  public static final String CLIENT_ID = "client_id";
  public static final String CLIENT_SECRET = "client_secret";
  public static final String REDIRECT_URI = "redirect_uri";
  public static final String RESPONSE_TYPE = "response_type";
  public static final String SCOPE = "scope";
  public static final String STATE = "state";
  public static final String CODE = "code";
  public static final String CODE_CHALLENGE = "code_challenge";
  public static final String CODE_CHALLENGE_METHOD = "code_challenge_method";
  public static final String CODE_VERIFIER = "code_verifier";
  public static final String PROMPT = "prompt";
  public static final String GRANT_TYPE = "grant_type";
  public static final String REFRESH_TOKEN = "refresh_token";
  public static final String ISS = "iss";

  public static final String RESPONSE_TYPE_CODE = "code";
  public static final String PKCE_S256 = "S256";
  public static final String PROMPT_CONSENT = "consent";
  public static final String GRANT_AUTHORIZATION_CODE = "authorization_code";
  public static final String GRANT_REFRESH_TOKEN = "refresh_token";

  private OAuthParams() {}
}
