package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorize endpoint's parameter checks in process, against a fixed app: the check order, and
 * which refusals may go back to the redirect URI.
 */
class AuthorizationRequestConverterTest {
  private static final String REDIRECT = "https://app.example/callback";
  private static final String CHALLENGE = Pkce.s256("a".repeat(43));
  private static final RegisteredApp CONFIDENTIAL =
      new RegisteredApp("mca_confidential", "Shop", false, List.of(REDIRECT), false, "usr_1", false);
  private static final RegisteredApp PUBLIC = new RegisteredApp("mca_public", "Mobile", true,
      List.of(REDIRECT, "https://app.example/other"), false, "usr_1", false);

  private final AuthorizationRequestConverter converter = new AuthorizationRequestConverter(stubApps());

  @Test
  void convertWhenRequestValidThenImmutableRequestInCatalogOrder() {
    AuthorizationRequest request = converter.convert(query(
        "client_id", PUBLIC.clientId(), "redirect_uri", REDIRECT, "response_type", "code",
        "scope", "wallet:send profile:read", "state", "xyz", "code_challenge", CHALLENGE,
        "code_challenge_method", "S256", "prompt", "consent"));

    assertThat(request.app()).isEqualTo(PUBLIC);
    assertThat(request.redirectUri()).isEqualTo(REDIRECT);
    assertThat(request.redirectUriGiven()).isTrue();
    assertThat(request.state()).isEqualTo("xyz");
    assertThat(request.scopes()).containsExactly("profile:read", "wallet:send");
    assertThat(request.codeChallenge()).isEqualTo(CHALLENGE);
    assertThat(request.forceConsent()).isTrue();
    assertThatThrownBy(() -> request.scopes().add("wallet:read")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void convertWhenRedirectUriOmittedAndOneRegisteredThenItIsUsedAndNotMarkedGiven() {
    AuthorizationRequest request = converter.convert(query("client_id", CONFIDENTIAL.clientId(),
        "response_type", "code", "scope", "profile:read"));

    assertThat(request.redirectUri()).isEqualTo(REDIRECT);
    assertThat(request.redirectUriGiven()).isFalse();
    assertThat(request.codeChallenge()).isNull();
    assertThat(request.forceConsent()).isFalse();
  }

  static Stream<Arguments> beforeVerification() {
    return Stream.of(
        Arguments.of("no client_id", query("response_type", "token", "scope", "nope"), "no client_id"),
        Arguments.of("unknown client", query("client_id", "mca_unknown", "response_type", "token"), "not registered"),
        Arguments.of("repeated client_id", query("client_id", CONFIDENTIAL.clientId(), "client_id", "x"),
            "client_id parameter is repeated"),
        Arguments.of("unregistered redirect", query("client_id", CONFIDENTIAL.clientId(),
            "redirect_uri", "https://evil.example/cb", "response_type", "token"), "not registered for this app"),
        Arguments.of("several registered, none given", query("client_id", PUBLIC.clientId(), "scope", "nope"),
            "several registered"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beforeVerification")
  void convertWhenClientOrRedirectUriUnverifiedThenPageErrorWithoutRedirect(String name,
      Map<String, List<String>> query, String description) {
    AuthorizationRequestException e = refusal(query);

    assertThat(e.error().code()).isEqualTo("invalid_request");
    assertThat(e.error().description()).contains(description);
    assertThat(e.error().mayRedirect()).isFalse();
    assertThat(e.redirectUri()).isNull();
  }

  static Stream<Arguments> afterVerification() {
    // Each case breaks its own check and every later one, so the first check in the order answers.
    return Stream.of(
        Arguments.of("repeated parameter", query("client_id", PUBLIC.clientId(), "redirect_uri", REDIRECT,
            "state", "s1", "scope", "a", "scope", "b", "response_type", "token"), "invalid_request", "repeated"),
        Arguments.of("response_type", query("client_id", PUBLIC.clientId(), "redirect_uri", REDIRECT,
            "state", "s1", "response_type", "token", "scope", "unknown:scope", "prompt", "login"),
            "unsupported_response_type", "response_type=code"),
        Arguments.of("scope", query("client_id", PUBLIC.clientId(), "redirect_uri", REDIRECT,
            "state", "s1", "response_type", "code", "scope", "unknown:scope", "prompt", "login"),
            "invalid_scope", "Unknown scope: unknown:scope"),
        Arguments.of("PKCE", query("client_id", PUBLIC.clientId(), "redirect_uri", REDIRECT,
            "state", "s1", "response_type", "code", "scope", "profile:read", "prompt", "login"),
            "invalid_request", "PKCE is required"),
        Arguments.of("prompt", query("client_id", PUBLIC.clientId(), "redirect_uri", REDIRECT,
            "state", "s1", "response_type", "code", "scope", "profile:read", "code_challenge", CHALLENGE,
            "code_challenge_method", "S256", "prompt", "login"), "invalid_request", "prompt=consent"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("afterVerification")
  void convertWhenLaterCheckFailsThenErrorGoesBackWithStateInCheckOrder(String check, Map<String, List<String>> query,
      String code, String description) {
    AuthorizationRequestException e = refusal(query);

    assertThat(e.error().code()).isEqualTo(code);
    assertThat(e.error().description()).contains(description);
    assertThat(e.error().mayRedirect()).isTrue();
    assertThat(e.redirectUri()).isEqualTo(REDIRECT);
    assertThat(e.state()).isEqualTo("s1");
  }

  @Test
  void convertWhenPlainPkceThenRefusedEvenForConfidentialApp() {
    AuthorizationRequestException e = refusal(query("client_id", CONFIDENTIAL.clientId(), "scope", "profile:read",
        "code_challenge", CHALLENGE, "code_challenge_method", "plain"));

    assertThat(e.error().description()).contains("must be S256");
    assertThat(e.error().mayRedirect()).isTrue();
  }

  private AuthorizationRequestException refusal(Map<String, List<String>> query) {
    try {
      converter.convert(query);
    } catch (AuthorizationRequestException e) {
      return e;
    }
    throw new AssertionError("the request was accepted: " + query);
  }

  /** Name-value pairs in order; a name given twice is a repeated parameter. */
  private static Map<String, List<String>> query(String... pairs) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      query.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return query;
  }

  private static AppStore stubApps() {
    return (AppStore) Proxy.newProxyInstance(AppStore.class.getClassLoader(), new Class<?>[] {AppStore.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("find")) throw new UnsupportedOperationException(method.getName());
          return Stream.of(CONFIDENTIAL, PUBLIC).filter(app -> app.clientId().equals(args[0])).findFirst()
              .map(Optional::of).orElse(Optional.empty());
        });
  }
}
