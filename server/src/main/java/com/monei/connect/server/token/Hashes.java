package com.monei.connect.server.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of credentials. Tokens, codes and secrets carry 256 bits of randomness, so a plain
 * digest is enough to make the stored value useless to a thief; lookups are by this hash.
 */
public final class Hashes {
  private static final MessageDigest SHA_256;
  private static final HexFormat HEX = HexFormat.of();

  static {
    try {
      SHA_256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Hashes() {}

  public static String sha256(String value) {
    // A clone of a fresh digest skips the provider look-up that getInstance does on every call.
    return HEX.formatHex(fresh(SHA_256).digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest fresh(MessageDigest prototype) {
    try {
      return (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of two strings. */
  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) return false;
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
