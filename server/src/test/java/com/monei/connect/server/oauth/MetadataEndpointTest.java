package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 1.5 / RFC 8414: GET /.well-known/oauth-authorization-server. */
@WithTestServer
class MetadataEndpointTest {
  private static final String PATH = "/.well-known/oauth-authorization-server";

  static TestServer server;
  static HttpResponse<String> response;
  static JsonNode metadata;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    response = new MoneiTestClient().get(server.url() + PATH);
    metadata = MoneiTestClient.json(response);
  }

  private static List<String> strings(String field) {
    JsonNode node = metadata.get(field);
    assertThat(node).as("%s in %s", field, metadata).isNotNull();
    assertThat(node.isArray()).as("%s is an array", field).isTrue();
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void metadataWhenFetchedThen200Json() {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertThat(metadata.isObject()).isTrue();
  }

  @Test
  void metadataWhenFetchedThenIssuerIsTheServersIssuerAndTheDocumentsOwnBase() {
    String issuer = metadata.get("issuer").asText();

    assertThat(issuer).isEqualTo(server.issuer());
    // RFC 8414 §3: the metadata lives at the issuer with the well-known path inserted, and §2: no query or fragment
    URI uri = URI.create(issuer);
    assertThat(uri.isAbsolute()).isTrue();
    assertThat(uri.getQuery()).isNull();
    assertThat(uri.getFragment()).isNull();
    assertThat(issuer).doesNotEndWith("/");
    assertThat(new MoneiTestClient().get(issuer + PATH).statusCode()).isEqualTo(200);
  }

  static Stream<Arguments> endpoints() {
    return Stream.of(
        Arguments.of("authorization_endpoint", "/connect/authorize"),
        Arguments.of("token_endpoint", "/api/v1/connect/token"),
        Arguments.of("revocation_endpoint", "/api/v1/connect/revoke"),
        Arguments.of("introspection_endpoint", "/api/v1/connect/introspect"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void metadataWhenFetchedThenEndpointIsAbsoluteUrlUnderTheIssuer(String field, String path) {
    JsonNode value = metadata.get(field);
    assertThat(value).as("%s in %s", field, metadata).isNotNull();

    URI uri = URI.create(value.asText());
    assertThat(uri.isAbsolute()).as(value.asText()).isTrue();
    assertThat(value.asText()).isEqualTo(server.issuer() + path);
  }

  @Test
  void metadataWhenFetchedThenAuthorizationEndpointAnswersWithAnErrorPageNot404() {
    HttpResponse<String> answer = new MoneiTestClient().get(metadata.get("authorization_endpoint").asText());

    // no client_id: an HTML error page, status 400 (SPEC 1.1), never a redirect
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Location")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"token_endpoint", "revocation_endpoint", "introspection_endpoint"})
  void metadataWhenFetchedThenBackChannelEndpointAnswersJsonOAuthErrorWithoutCredentials(String field) {
    HttpResponse<String> answer = new MoneiTestClient().postForm(metadata.get(field).asText(),
        Map.of("token", "mct_x", "grant_type", "authorization_code", "code", "x"));

    assertThat(answer.statusCode()).as(answer.body()).isIn(400, 401);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertThat(MoneiTestClient.error(answer)).isIn("invalid_request", "invalid_client");
  }

  @Test
  void metadataWhenFetchedThenScopesSupportedIsTheCatalog() {
    assertThat(strings("scopes_supported")).containsExactlyInAnyOrder("profile:read", "wallet:read", "wallet:send");
  }

  @Test
  void metadataWhenFetchedThenResponseTypesAreCodeOnly() {
    assertThat(strings("response_types_supported")).containsExactly("code");
  }

  @Test
  void metadataWhenFetchedThenGrantTypesAreAuthorizationCodeAndRefreshToken() {
    assertThat(strings("grant_types_supported")).containsExactlyInAnyOrder("authorization_code", "refresh_token");
  }

  @Test
  void metadataWhenFetchedThenTokenEndpointAuthMethodsAreBasicPostAndNone() {
    assertThat(strings("token_endpoint_auth_methods_supported"))
        .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "none");
  }

  @Test
  void metadataWhenFetchedThenPkceIsS256Only() {
    assertThat(strings("code_challenge_methods_supported")).containsExactly("S256");
  }

  @Test
  void metadataWhenFetchedThenIssParameterSupportIsAdvertised() {
    JsonNode value = metadata.get("authorization_response_iss_parameter_supported");
    assertThat(value).isNotNull();
    assertThat(value.isBoolean()).as("a JSON boolean, not a string").isTrue();
    assertThat(value.asBoolean()).isTrue();
  }

  @Test
  void metadataWhenIssuerConfiguredThenDocumentUsesItRatherThanTheRequestHost() {
    // Own server: only this case configures an issuer other than the default.
    try (TestServer custom = TestServer.start(c -> c.withIssuer("https://connect.monei.test"))) {
      JsonNode doc = MoneiTestClient.json(new MoneiTestClient().get(custom.url() + PATH));

      assertThat(doc.get("issuer").asText()).isEqualTo("https://connect.monei.test");
      assertThat(doc.get("authorization_endpoint").asText()).isEqualTo("https://connect.monei.test/connect/authorize");
      assertThat(doc.get("token_endpoint").asText()).isEqualTo("https://connect.monei.test/api/v1/connect/token");
      assertThat(doc.get("revocation_endpoint").asText()).isEqualTo("https://connect.monei.test/api/v1/connect/revoke");
      assertThat(doc.get("introspection_endpoint").asText())
          .isEqualTo("https://connect.monei.test/api/v1/connect/introspect");
    }
  }
}
