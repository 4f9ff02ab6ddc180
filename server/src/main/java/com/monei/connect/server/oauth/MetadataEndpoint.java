package com.monei.connect.server.oauth;

import com.monei.connect.server.consent.Scope;
import com.monei.connect.server.consent.ScopeCatalog;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /.well-known/oauth-authorization-server (RFC 8414). */
public final class MetadataEndpoint {

  public MetadataEndpoint(String issuer, List<String> grantTypes) {
    List<String> authMethods = List.of("client_secret_basic", "client_secret_post", "none");
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer);
    doc.put("authorization_endpoint", issuer + "/connect/authorize");
    doc.put("token_endpoint", issuer + "/api/v1/connect/token");
    doc.put("revocation_endpoint", issuer + "/api/v1/connect/revoke");
    doc.put("introspection_endpoint", issuer + "/api/v1/connect/introspect");
    doc.put("scopes_supported", ScopeCatalog.ALL.stream().map(Scope::name).toList());
    doc.put("response_types_supported", List.of(OAuthParams.RESPONSE_TYPE_CODE));
    doc.put("response_modes_supported", List.of("query"));
    doc.put("grant_types_supported", grantTypes);
    doc.put("token_endpoint_auth_methods_supported", authMethods);
    doc.put("revocation_endpoint_auth_methods_supported", authMethods);
    doc.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
    doc.put("code_challenge_methods_supported", List.of(OAuthParams.PKCE_S256));
    doc.put("authorization_response_iss_parameter_supported", true);
    doc.put("prompt_values_supported", List.of(OAuthParams.PROMPT_CONSENT));
    this.ordered = doc;
  }

  private final Map<String, Object> ordered;

  public void handle(Context ctx) {
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.json(ordered);
  }
}
