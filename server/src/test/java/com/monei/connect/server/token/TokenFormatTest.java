package com.monei.connect.server.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 1.5: prefix + 43 random base62 characters + CRC32 of prefix and random part in 6 base62 characters. */
class TokenFormatTest {
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM = 43;
  private static final int CHECKSUM = 6;

  @ParameterizedTest
  @ValueSource(strings = {"mcs_", "mct_", "mcr_"})
  void generateWhenCalledThenPrefixFortyNineBase62CharactersAndWellFormed(String prefix) {
    String token = TokenFormat.generate(prefix);

    assertThat(token).startsWith(prefix).hasSize(prefix.length() + RANDOM + CHECKSUM);
    assertThat(token.substring(prefix.length())).matches("[0-9A-Za-z]{49}");
    assertThat(TokenFormat.isWellFormed(token, prefix)).isTrue();
  }

  @Test
  void generateWhenCalledThenChecksumIsCrc32OfPrefixAndRandomPartInBase62() {
    for (int i = 0; i < 200; i++) {
      String token = TokenFormat.generate("mct_");
      String body = token.substring(0, token.length() - CHECKSUM);
      assertThat(token.substring(token.length() - CHECKSUM)).as(token).isEqualTo(checksum(body));
    }
  }

  @Test
  void checksumWhenKnownVectorThenMatchesIndependentCrc32() {
    // CRC32("123456789") = 0xCBF43926 is the standard check value; it validates our own base62 encoder.
    assertThat(crc32("123456789")).isEqualTo(0xCBF43926L);
    assertThat(base62(0xCBF43926L)).isEqualTo("3jZRME");
    assertThat(base62(0)).isEqualTo("000000");
    assertThat(base62(0xFFFFFFFFL)).isEqualTo("4gfFC3");
  }

  @ParameterizedTest
  @MethodSource("knownTokens")
  void isWellFormedWhenKnownVectorThenTrue(String token, String prefix) {
    assertThat(checksum(token.substring(0, token.length() - CHECKSUM)))
        .isEqualTo(token.substring(token.length() - CHECKSUM));
    assertThat(TokenFormat.isWellFormed(token, prefix)).isTrue();
  }

  static Stream<Arguments> knownTokens() {
    return Stream.of(
        // CRC32 = 2639041144
        Arguments.of("mct_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg2sb99k", "mct_"),
        // CRC32 = 3890311620
        Arguments.of("mcs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA4FHLlc", "mcs_"),
        // CRC32 = 6654554, below 62^4: the checksum is zero-padded to 6 characters
        Arguments.of("mcr_000000000000000000000000000000000000000032000Rv9W", "mcr_"));
  }

  @Test
  void isWellFormedWhenAnyOneCharacterAfterPrefixChangedThenFalse() {
    String prefix = "mct_";
    String token = TokenFormat.generate(prefix);
    for (int i = prefix.length(); i < token.length(); i++) {
      char original = token.charAt(i);
      for (int shift : new int[] {1, 31, 61}) {
        char replacement = ALPHABET.charAt((ALPHABET.indexOf(original) + shift) % ALPHABET.length());
        String changed = token.substring(0, i) + replacement + token.substring(i + 1);
        assertThat(TokenFormat.isWellFormed(changed, prefix)).as("position %d changed to %s: %s", i, replacement, changed)
            .isFalse();
      }
    }
  }

  @Test
  void isWellFormedWhenTwoAdjacentCharactersSwappedThenFalse() {
    String token = TokenFormat.generate("mcr_");
    for (int i = 4; i + 1 < token.length(); i++) {
      if (token.charAt(i) == token.charAt(i + 1)) continue;
      String swapped = token.substring(0, i) + token.charAt(i + 1) + token.charAt(i) + token.substring(i + 2);
      assertThat(TokenFormat.isWellFormed(swapped, "mcr_")).as(swapped).isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void isWellFormedWhenMalformedThenFalse(String description, String token, String prefix) {
    assertThat(TokenFormat.isWellFormed(token, prefix)).as(description).isFalse();
  }

  static Stream<Arguments> malformed() {
    String token = TokenFormat.generate("mct_");
    String random = token.substring(4, 4 + RANDOM);
    String badAlphabetBody = "mct_" + random.substring(0, RANDOM - 1) + "-";
    String shortBody = "mct_" + random.substring(0, RANDOM - 1);
    String longBody = "mct_" + random + "A";
    return Stream.of(
        Arguments.of("null", null, "mct_"),
        Arguments.of("empty", "", "mct_"),
        Arguments.of("prefix only", "mct_", "mct_"),
        Arguments.of("other prefix expected", token, "mcr_"),
        Arguments.of("prefix replaced, checksum kept", "mcr_" + token.substring(4), "mcr_"),
        Arguments.of("upper-case prefix", "MCT_" + token.substring(4), "mct_"),
        Arguments.of("prefix missing", token.substring(4), "mct_"),
        Arguments.of("truncated by one", token.substring(0, token.length() - 1), "mct_"),
        Arguments.of("checksum missing", token.substring(0, token.length() - CHECKSUM), "mct_"),
        Arguments.of("extended by one", token + "0", "mct_"),
        Arguments.of("doubled", token + token, "mct_"),
        Arguments.of("leading space", " " + token, "mct_"),
        Arguments.of("trailing space", token + " ", "mct_"),
        Arguments.of("trailing newline", token + "\n", "mct_"),
        Arguments.of("character outside base62 with matching checksum", badAlphabetBody + checksum(badAlphabetBody), "mct_"),
        Arguments.of("42 random characters with matching checksum", shortBody + checksum(shortBody), "mct_"),
        Arguments.of("44 random characters with matching checksum", longBody + checksum(longBody), "mct_"),
        Arguments.of("checksum lower-cased", token.substring(0, token.length() - CHECKSUM)
            + swapCase(token.substring(token.length() - CHECKSUM)), "mct_"),
        Arguments.of("non-ASCII digit", token.substring(0, 10) + "\u0661" + token.substring(11), "mct_"));
  }

  @Test
  void fromBytesWhenAnyMaterialThenTheSameCharactersAsOneDivisionByBase62PerDigit() {
    java.util.Random seeded = new java.util.Random(16);
    List<byte[]> inputs = new ArrayList<>();
    inputs.add(new byte[32]);
    byte[] ones = new byte[32];
    java.util.Arrays.fill(ones, (byte) 0xff);
    inputs.add(ones);
    for (int i = 0; i < 2_000; i++) {
      byte[] material = new byte[32];
      seeded.nextBytes(material);
      inputs.add(material);
    }
    // Lengths that do not fill whole 32-bit words.
    for (int length : new int[] {1, 3, 5, 31, 33}) {
      byte[] material = new byte[length];
      seeded.nextBytes(material);
      material[0] |= (byte) 0x80;
      inputs.add(material);
    }
    for (byte[] material : inputs) {
      assertThat(TokenFormat.fromBytes("mcr_", material)).isEqualTo(digitByDigit("mcr_", material));
    }
  }

  /** The derivation as it was first written: successors derived before must stay the same. */
  private static String digitByDigit(String prefix, byte[] material) {
    java.math.BigInteger n = new java.math.BigInteger(1, material);
    java.math.BigInteger base = java.math.BigInteger.valueOf(62);
    char[] out = new char[TokenFormat.RANDOM_LENGTH];
    for (int i = TokenFormat.RANDOM_LENGTH - 1; i >= 0; i--) {
      java.math.BigInteger[] qr = n.divideAndRemainder(base);
      out[i] = TokenFormat.ALPHABET.charAt(qr[1].intValue());
      n = qr[0];
    }
    String body = prefix + new String(out);
    return body + TokenFormat.checksum(body);
  }

  @Test
  void randomBase62WhenManyCharactersDrawnThenEveryCharacterComesUpEquallyOften() {
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    int[] counts = new int[128];
    int draws = 0;
    for (int i = 0; i < 4_000; i++) {
      String s = TokenFormat.randomBase62(50);
      assertThat(s).hasSize(50);
      for (char c : s.toCharArray()) counts[c]++;
      draws += s.length();
    }
    double expected = draws / 62.0;
    // 200,000 draws: 3,226 expected per character, a standard deviation of about 56. A byte taken
    // modulo 62 without skipping would give eight characters a quarter more; 10% is about 5.7 deviations.
    for (char c : alphabet.toCharArray()) {
      assertThat((double) counts[c]).as("count of %s", c).isBetween(expected * 0.9, expected * 1.1);
    }
    assertThat(alphabet.chars().map(c -> counts[c]).sum()).as("nothing outside the alphabet").isEqualTo(draws);
  }

  @Test
  void generateWhenCalledThousandTimesThenAllDistinct() {
    Set<String> seen = new HashSet<>();
    Set<String> randomParts = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = TokenFormat.generate("mcs_");
      seen.add(token);
      randomParts.add(token.substring(4, 4 + RANDOM));
    }
    assertThat(seen).hasSize(1000);
    assertThat(randomParts).hasSize(1000);
  }

  @Test
  void generateWhenManyTokensThenEveryBase62CharacterAppearsInRandomPart() {
    Set<Character> used = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String token = TokenFormat.generate("mct_");
      for (char c : token.substring(4, 4 + RANDOM).toCharArray()) used.add(c);
    }
    assertThat(used).hasSize(62);
  }

  private static String checksum(String body) {
    return base62(crc32(body));
  }

  private static long crc32(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  /** Most significant digit first, zero-padded to six characters. */
  private static String base62(long value) {
    StringBuilder sb = new StringBuilder();
    long v = value;
    while (v > 0) {
      sb.append(ALPHABET.charAt((int) (v % 62)));
      v /= 62;
    }
    while (sb.length() < CHECKSUM) sb.append('0');
    return sb.reverse().toString();
  }

  private static String swapCase(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return sb.toString().equals(s) ? s + "x" : sb.toString();
  }
}
