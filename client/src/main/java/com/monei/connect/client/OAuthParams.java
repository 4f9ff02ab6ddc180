package com.monei.connect.client;

/** Protocol parameter names and values, written once (RFC 6749, RFC 7636, RFC 7009, RFC 9207). */
final class OAuthParams {
  static final String CLIENT_ID = "client_id";
  static final String CLIENT_SECRET = "client_secret";
  static final String REDIRECT_URI = "redirect_uri";
  static final String RESPONSE_TYPE = "response_type";
  static final String SCOPE = "scope";
  static final String STATE = "state";
  static final String CODE = "code";
  static final String CODE_CHALLENGE = "code_challenge";
  static final String CODE_CHALLENGE_METHOD = "code_challenge_method";
  static final String CODE_VERIFIER = "code_verifier";
  static final String PROMPT = "prompt";
  static final String GRANT_TYPE = "grant_type";
  static final String REFRESH_TOKEN = "refresh_token";
  static final String TOKEN = "token";
  static final String TOKEN_TYPE_HINT = "token_type_hint";
  static final String ISS = "iss";
  static final String ERROR = "error";
  static final String ERROR_DESCRIPTION = "error_description";

  static final String RESPONSE_TYPE_CODE = "code";
  static final String PKCE_S256 = "S256";
  static final String PROMPT_CONSENT = "consent";
  static final String GRANT_AUTHORIZATION_CODE = "authorization_code";
  static final String GRANT_REFRESH_TOKEN = "refresh_token";

  // Token response fields (RFC 6749 §5.1), plus Monei's "scopes" array.
  static final String ACCESS_TOKEN = "access_token";
  static final String TOKEN_TYPE = "token_type";
  static final String EXPIRES_IN = "expires_in";
  static final String SCOPES = "scopes";
  static final String MESSAGE = "message";

  private OAuthParams() {}
}
