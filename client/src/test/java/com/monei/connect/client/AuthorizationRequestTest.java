package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Building the authorization URL: parameters, state, and the PKCE pair (RFC 7636). */
class AuthorizationRequestTest {
  private static final String ISSUER = "https://connect.monei.example";
  private static final String REDIRECT = "https://yourapp.example/monei/callback?tenant=a&lang=en";

  private static MoneiConnect.Builder confidential() {
    return MoneiConnect.builder().issuer(ISSUER).clientId("mc_test").clientSecret("mcs_secret").redirectUri(REDIRECT);
  }

  private static Map<String, String> query(AuthorizationRequest request) {
    Map<String, String> single = new java.util.LinkedHashMap<>();
    Form.parse(request.url().getRawQuery()).forEach((k, v) -> {
      assertThat(v).as("parameter %s given once", k).hasSize(1);
      single.put(k, v.get(0));
    });
    return single;
  }

  @Test
  void authorizationRequestWhenScopesGivenThenUrlCarriesEveryProtocolParameter() {
    AuthorizationRequest request = confidential().build()
        .authorizationRequest(List.of(Scopes.WALLET_READ, Scopes.PROFILE_READ));

    assertThat(request.url().toString()).startsWith(ISSUER + "/connect/authorize?");
    assertThat(query(request)).containsExactly(
        Map.entry("response_type", "code"),
        Map.entry("client_id", "mc_test"),
        Map.entry("redirect_uri", REDIRECT),
        Map.entry("scope", "wallet:read profile:read"),
        Map.entry("state", request.state()),
        Map.entry("code_challenge", Pkce.challenge(request.codeVerifier())),
        Map.entry("code_challenge_method", "S256"));
    assertThat(request.scopes()).containsExactly(Scopes.WALLET_READ, Scopes.PROFILE_READ);
  }

  @Test
  void authorizationRequestWhenPromptConsentThenUrlAsksForConsent() {
    AuthorizationRequest request = confidential().build()
        .authorizationRequest(List.of(Scopes.WALLET_READ), AuthorizationRequest.Prompt.CONSENT);

    assertThat(query(request)).containsEntry("prompt", "consent");
  }

  @Test
  void authorizationRequestWhenVarargsRepeatAScopeThenRequestsItOnce() {
    AuthorizationRequest request = confidential().build()
        .authorizationRequest(Scopes.WALLET_READ, Scopes.WALLET_SEND, Scopes.WALLET_READ);

    assertThat(query(request)).containsEntry("scope", "wallet:read wallet:send").doesNotContainKey("prompt");
  }

  @Test
  void authorizationRequestWhenCalledRepeatedlyThenStateAndVerifierAreFreshAndUrlSafe() {
    MoneiConnect connect = confidential().build();
    Set<String> states = new HashSet<>();
    Set<String> verifiers = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      AuthorizationRequest request = connect.authorizationRequest(Scopes.WALLET_READ);
      // 128 bits need at least 22 base64url characters; RFC 7636 §4.1: 43 to 128 unreserved characters.
      assertThat(request.state()).matches("[A-Za-z0-9_-]{22,}");
      assertThat(request.codeVerifier()).matches("[A-Za-z0-9._~-]{43,128}");
      states.add(request.state());
      verifiers.add(request.codeVerifier());
    }
    assertThat(states).hasSize(50);
    assertThat(verifiers).hasSize(50);
  }

  @Test
  void challengeWhenRfc7636AppendixBVerifierThenMatchesTheRfcValue() {
    // RFC 7636 Appendix B.
    assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void authorizationRequestWhenPkceTurnedOffForConfidentialAppThenNoChallenge() {
    AuthorizationRequest request = confidential().pkce(false).build().authorizationRequest(Scopes.WALLET_READ);

    assertThat(request.codeVerifier()).isNull();
    assertThat(query(request)).doesNotContainKeys("code_challenge", "code_challenge_method");
  }

  @Test
  void buildWhenPublicAppTurnsPkceOffThenRefused() {
    assertThatThrownBy(() -> MoneiConnect.builder().issuer(ISSUER).clientId("mc_public").pkce(false).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("PKCE");
  }

  @Test
  void buildWhenIssuerIsPlainHttpOnAPublicHostThenRefused() {
    assertThatThrownBy(() -> MoneiConnect.builder().issuer("http://connect.monei.example").clientId("mc_x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
  }

  @Test
  void authorizationRequestWhenScopeIsBlankOrHasSpaceThenRefused() {
    MoneiConnect connect = confidential().build();
    assertThatThrownBy(() -> connect.authorizationRequest("wallet:read profile:read"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> connect.authorizationRequest(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void authorizationRequestWhenMetadataGivenThenUsesItsAuthorizationEndpoint() {
    Metadata metadata = new Metadata(java.net.URI.create(ISSUER), java.net.URI.create(ISSUER + "/oauth/authorize?v=2"),
        java.net.URI.create(ISSUER + "/oauth/token"), null, null, List.of(), List.of("S256"), true);
    AuthorizationRequest request = MoneiConnect.builder().metadata(metadata).clientId("mc_test").build()
        .authorizationRequest(Scopes.PROFILE_READ);

    assertThat(request.url().toString()).startsWith(ISSUER + "/oauth/authorize?v=2&response_type=code&");
  }

  @Test
  void toStringWhenPrintedThenLeavesSecretsOut() {
    AuthorizationRequest request = confidential().build().authorizationRequest(Scopes.WALLET_READ);

    assertThat(request.toString()).doesNotContain(request.state()).doesNotContain(request.codeVerifier())
        .contains("wallet:read");
  }

  @Test
  void serializationWhenRoundTrippedThenKeepsEveryField() throws Exception {
    AuthorizationRequest request = confidential().build().authorizationRequest(Scopes.WALLET_READ);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(request);
    }
    AuthorizationRequest copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (AuthorizationRequest) in.readObject();
    }
    AuthorizationRequest restored = AuthorizationRequest.restore(request.url().toString(), request.state(),
        request.codeVerifier(), request.scopes());

    for (AuthorizationRequest r : List.of(copy, restored)) {
      assertThat(r.url()).isEqualTo(request.url());
      assertThat(r.state()).isEqualTo(request.state());
      assertThat(r.codeVerifier()).isEqualTo(request.codeVerifier());
      assertThat(r.scopes()).isEqualTo(request.scopes());
    }
  }
}
