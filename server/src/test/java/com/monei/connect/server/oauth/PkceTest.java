package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7636 with S256: code_verifier = 43*128unreserved, code_challenge = BASE64URL(SHA256(verifier)). */
class PkceTest {
  /** RFC 7636 Appendix B. */
  private static final String RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  private static final String RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  @Test
  void s256WhenRfc7636AppendixBVerifierThenAppendixBChallenge() {
    assertThat(Pkce.s256(RFC_VERIFIER)).isEqualTo(RFC_CHALLENGE);
  }

  @Test
  void verifiesWhenRfc7636AppendixBPairThenTrue() {
    assertThat(Pkce.verifies(RFC_VERIFIER, RFC_CHALLENGE)).isTrue();
  }

  @Test
  void verifiesWhenOtherVerifierThenFalse() {
    String other = "eBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    assertThat(Pkce.verifies(other, RFC_CHALLENGE)).isFalse();
    assertThat(Pkce.verifies(RFC_VERIFIER + "x", RFC_CHALLENGE)).isFalse();
    assertThat(Pkce.verifies(RFC_VERIFIER.substring(1), RFC_CHALLENGE)).isFalse();
  }

  @Test
  void verifiesWhenChallengeIsTheVerifierItselfThenFalse() {
    // "plain" is refused: presenting the verifier as its own challenge must not verify.
    assertThat(Pkce.verifies(RFC_VERIFIER, RFC_VERIFIER)).isFalse();
  }

  @Test
  void verifiesWhenChallengeMissingOrAlteredThenFalse() {
    assertThat(Pkce.verifies(RFC_VERIFIER, null)).isFalse();
    assertThat(Pkce.verifies(RFC_VERIFIER, "")).isFalse();
    assertThat(Pkce.verifies(RFC_VERIFIER, RFC_CHALLENGE + "=")).isFalse();
    assertThat(Pkce.verifies(RFC_VERIFIER, RFC_CHALLENGE.toLowerCase())).isFalse();
    assertThat(Pkce.verifies(null, RFC_CHALLENGE)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {43, 44, 64, 127, 128})
  void verifiesWhenVerifierLengthWithinBoundsThenTrue(int length) {
    String verifier = verifier(length);
    assertThat(Pkce.verifies(verifier, challengeOf(verifier))).isTrue();
  }

  @Test
  void verifiesWhenVerifierUsesEveryUnreservedCharacterThenTrue() {
    String verifier = UNRESERVED;
    assertThat(verifier).hasSize(66);
    assertThat(Pkce.verifies(verifier, challengeOf(verifier))).isTrue();
  }

  /** Each verifier comes with its own correct S256 challenge: only the verifier's shape can make it fail. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidVerifiers")
  void verifiesWhenVerifierMalformedThenFalseEvenWithMatchingChallenge(String description, String verifier) {
    assertThat(Pkce.verifies(verifier, challengeOf(verifier))).as(description).isFalse();
  }

  static Stream<Arguments> invalidVerifiers() {
    String base = verifier(50);
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("42 characters (too short)", verifier(42)),
        Arguments.of("129 characters (too long)", verifier(129)),
        Arguments.of("1000 characters", verifier(1000)),
        Arguments.of("space", base.substring(0, 20) + " " + base.substring(21)),
        Arguments.of("plus", base.substring(0, 20) + "+" + base.substring(21)),
        Arguments.of("slash", base.substring(0, 20) + "/" + base.substring(21)),
        Arguments.of("equals padding", base.substring(0, 49) + "="),
        Arguments.of("percent", base.substring(0, 20) + "%" + base.substring(21)),
        Arguments.of("non-ASCII letter", base.substring(0, 20) + "\u00e9" + base.substring(21)),
        Arguments.of("newline at end", base.substring(0, 49) + "\n"),
        Arguments.of("NUL", base.substring(0, 20) + "\u0000" + base.substring(21)));
  }

  @Test
  void isValidChallengeWhenS256ShapeThenTrueOtherwiseFalse() {
    assertThat(Pkce.isValidChallenge(RFC_CHALLENGE)).isTrue();
    assertThat(Pkce.isValidChallenge(null)).isFalse();
    assertThat(Pkce.isValidChallenge("")).isFalse();
    assertThat(Pkce.isValidChallenge(RFC_CHALLENGE.substring(1))).isFalse();
    assertThat(Pkce.isValidChallenge(RFC_CHALLENGE + "A")).isFalse();
    assertThat(Pkce.isValidChallenge(RFC_CHALLENGE.substring(0, 42) + "=")).isFalse();
    assertThat(Pkce.isValidChallenge(RFC_CHALLENGE.substring(0, 42) + "+")).isFalse();
    assertThat(Pkce.isValidChallenge(RFC_CHALLENGE.substring(0, 42) + "/")).isFalse();
  }

  private static String verifier(int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) sb.append(UNRESERVED.charAt((i * 7 + 3) % UNRESERVED.length()));
    return sb.toString();
  }

  /** BASE64URL-ENCODE(SHA256(UTF-8(verifier))), computed here independently of the server. */
  private static String challengeOf(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
