package com.monei.connect.server.token;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * Opaque credentials in the GitHub style: a prefix, 43 random base62 characters (256 bits) and the
 * CRC32 of prefix and random part as 6 base62 characters. The checksum lets secret scanners spot
 * leaked tokens and lets us reject garbage without a database look-up.
 */
public final class TokenFormat {
  public static final String CLIENT_ID = "mc_";
  public static final String CLIENT_SECRET = "mcs_";
  public static final String ACCESS_TOKEN = "mct_";
  public static final String REFRESH_TOKEN = "mcr_";

  static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  public static final int RANDOM_LENGTH = 43;
  public static final int CHECKSUM_LENGTH = 6;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SIXTY_TWO_TO_THE_FIFTH = 916_132_832L;

  private TokenFormat() {}

  /** A fresh credential with {@code prefix}, random part and checksum. */
  public static String generate(String prefix) {
    String body = prefix + randomBase62(RANDOM_LENGTH);
    return body + checksum(body);
  }

  /** True when {@code token} has the prefix, the length, the alphabet and a matching checksum. */
  public static boolean isWellFormed(String token, String prefix) {
    if (token == null || !token.startsWith(prefix)) return false;
    if (token.length() != prefix.length() + RANDOM_LENGTH + CHECKSUM_LENGTH) return false;
    for (int i = prefix.length(); i < token.length(); i++) {
      if (ALPHABET.indexOf(token.charAt(i)) < 0) return false;
    }
    String body = token.substring(0, token.length() - CHECKSUM_LENGTH);
    return checksum(body).equals(token.substring(token.length() - CHECKSUM_LENGTH));
  }

  /**
   * A credential whose random part is taken from 32 bytes of key-derived material instead of the
   * random generator (used to reproduce a refresh successor); same length, alphabet and checksum.
   */
  public static String fromBytes(String prefix, byte[] material) {
    // The material as a big-endian number in 32-bit words, divided in place by 62^5 (under 2^31) for
    // five digits a pass: the same digits as dividing by 62 each time, so a successor derived by an
    // older version is the same, without BigInteger's allocations on every refresh.
    int[] words = new int[(material.length + 3) / 4];
    for (int i = 0; i < material.length; i++) {
      int shift = 8 * (material.length - 1 - i);
      words[words.length - 1 - shift / 32] |= (material[i] & 0xff) << (shift % 32);
    }
    char[] out = new char[RANDOM_LENGTH];
    for (int i = RANDOM_LENGTH - 1; i >= 0; ) {
      long remainder = 0;
      for (int w = 0; w < words.length; w++) {
        long current = remainder << 32 | (words[w] & 0xffffffffL);
        words[w] = (int) (current / SIXTY_TWO_TO_THE_FIFTH);
        remainder = current % SIXTY_TWO_TO_THE_FIFTH;
      }
      for (int d = 0; d < 5 && i >= 0; d++, i--) {
        out[i] = ALPHABET.charAt((int) (remainder % 62));
        remainder /= 62;
      }
    }
    String body = prefix + new String(out);
    return body + checksum(body);
  }

  /** True when every character of {@code s} is in the base62 alphabet. */
  public static boolean isBase62(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (ALPHABET.indexOf(s.charAt(i)) < 0) return false;
    }
    return true;
  }

  /**
   * A random base62 string of {@code length} characters (about 5.95 bits each). The bytes are drawn in
   * one call (the generator takes a lock per call); a byte of 248 or more is skipped, so the 248 kept
   * values map onto the 62 characters four each, without bias.
   */
  public static String randomBase62(int length) {
    char[] out = new char[length];
    byte[] random = new byte[length + length / 4 + 4];
    int used = random.length;
    for (int i = 0; i < length; ) {
      if (used == random.length) {
        RANDOM.nextBytes(random);
        used = 0;
      }
      int b = random[used++] & 0xff;
      if (b < 248) out[i++] = ALPHABET.charAt(b % 62);
    }
    return new String(out);
  }

  static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] out = new char[CHECKSUM_LENGTH];
    for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(out);
  }
}
