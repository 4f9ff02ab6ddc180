package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The authorization server's metadata (RFC 8414, {@code /.well-known/oauth-authorization-server}),
 * as {@link MoneiConnect#discover} reads it; pass it to {@link MoneiConnect.Builder#metadata} to use
 * its endpoints.
 *
 * @param issuer the issuer identifier, also the {@code iss} of every callback
 * @param authorizationEndpoint where the browser is sent to authorize
 * @param tokenEndpoint where codes and refresh tokens are exchanged
 * @param revocationEndpoint where tokens are revoked (RFC 7009), or null
 * @param introspectionEndpoint where resource servers introspect tokens (RFC 7662), or null
 * @param scopesSupported the scopes the server knows
 * @param codeChallengeMethodsSupported PKCE methods, {@code S256}
 * @param issParameterSupported whether callbacks carry {@code iss} (RFC 9207)
 */
public record Metadata(URI issuer, URI authorizationEndpoint, URI tokenEndpoint, URI revocationEndpoint,
    URI introspectionEndpoint, List<String> scopesSupported, List<String> codeChallengeMethodsSupported,
    boolean issParameterSupported) {

  /** Checks the required endpoints and keeps unmodifiable lists. */
  public Metadata {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
    Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    scopesSupported = List.copyOf(scopesSupported);
    codeChallengeMethodsSupported = List.copyOf(codeChallengeMethodsSupported);
  }

  static Metadata parse(JsonNode node) {
    JsonNode iss = node.get("authorization_response_iss_parameter_supported");
    return new Metadata(uri(node, "issuer"), uri(node, "authorization_endpoint"), uri(node, "token_endpoint"),
        uri(node, "revocation_endpoint"), uri(node, "introspection_endpoint"), Json.strings(node, "scopes_supported"),
        Json.strings(node, "code_challenge_methods_supported"), iss != null && iss.asBoolean());
  }

  private static URI uri(JsonNode node, String field) {
    String text = Json.optionalText(node, field);
    try {
      return text == null ? null : URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new Json.MalformedJson("\"" + field + "\" is not a URI");
    }
  }
}
