package com.monei.connect.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The app's back channel to the token endpoint (RFC 6749 §4.1.3, §6) and the revocation endpoint
 * (RFC 7009), authenticating as the app: HTTP Basic for confidential apps, {@code client_id} alone
 * for public ones (whose codes PKCE binds instead).
 */
final class TokenEndpointClient {
  private final Transport transport;
  private final URI tokenEndpoint;
  private final URI revocationEndpoint;
  private final String clientId;
  private final String clientSecret;

  TokenEndpointClient(Transport transport, URI tokenEndpoint, URI revocationEndpoint, String clientId,
      String clientSecret) {
    this.transport = transport;
    this.tokenEndpoint = tokenEndpoint;
    this.revocationEndpoint = revocationEndpoint;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** Exchanges an authorization code; throws {@link TokenRequestException} when refused. */
  TokenResponse exchangeCode(String code, String redirectUri, String codeVerifier) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put(OAuthParams.GRANT_TYPE, OAuthParams.GRANT_AUTHORIZATION_CODE);
    params.put(OAuthParams.CODE, code);
    params.put(OAuthParams.REDIRECT_URI, redirectUri);
    params.put(OAuthParams.CODE_VERIFIER, codeVerifier);
    return tokens(post(tokenEndpoint, params));
  }

  /** Redeems a refresh token for a new pair; throws {@link TokenRequestException} when refused. */
  TokenResponse refresh(String refreshToken) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put(OAuthParams.GRANT_TYPE, OAuthParams.GRANT_REFRESH_TOKEN);
    params.put(OAuthParams.REFRESH_TOKEN, refreshToken);
    return tokens(post(tokenEndpoint, params));
  }

  /** Revokes a token (RFC 7009); unknown tokens are no error. */
  void revoke(String token, String tokenTypeHint) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put(OAuthParams.TOKEN, token);
    params.put(OAuthParams.TOKEN_TYPE_HINT, tokenTypeHint);
    HttpResponse<String> response = post(revocationEndpoint, params);
    // RFC 7009 §2.2: "The authorization server responds with HTTP status code 200 if the token has been
    // revoked successfully or if the client submitted an invalid token."
    if (response.statusCode() != 200) throw ApiErrors.fromTokenEndpoint(response);
  }

  private HttpResponse<String> post(URI endpoint, Map<String, String> params) {
    HttpRequest.Builder request = transport.request(endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded");
    if (clientSecret != null) {
      request.header("Authorization", basic(clientId, clientSecret));
    } else {
      Map<String, String> withId = new LinkedHashMap<>();
      withId.put(OAuthParams.CLIENT_ID, clientId);
      withId.putAll(params);
      params = withId;
    }
    return transport.send(request.POST(HttpRequest.BodyPublishers.ofString(Form.encode(params))).build());
  }

  // RFC 6749 §2.3.1: "The client identifier is encoded using the application/x-www-form-urlencoded
  // encoding algorithm ... and the encoded value is used as the username; the client password is
  // encoded using the same algorithm and used as the password."
  static String basic(String clientId, String clientSecret) {
    String credentials = Form.encode(clientId) + ":" + Form.encode(clientSecret);
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  private static TokenResponse tokens(HttpResponse<String> response) {
    if (response.statusCode() != 200) throw ApiErrors.fromTokenEndpoint(response);
    try {
      return TokenResponse.parse(Json.object(response.body()));
    } catch (Json.MalformedJson e) {
      throw (TokenRequestException) new TokenRequestException(response.statusCode(), ErrorCodes.SERVER_ERROR,
          "The token endpoint answered with an invalid token response: " + e.getMessage())
          .withRequestId(ApiErrors.requestId(response, null));
    }
  }
}
