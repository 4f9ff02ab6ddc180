package com.monei.connect.server.account;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as authenticator apps make them (RFC 6238 over HOTP, RFC 4226):
 * HMAC-SHA-1, six digits, 30-second steps counted from the Unix epoch, and one step of drift
 * either way. Secrets are 160 bits, the HMAC-SHA-1 block the RFC recommends, shown in base32.
 */
public final class Totp {
  public static final int SECRET_BYTES = 20;
  public static final int DIGITS = 6;
  public static final long STEP_SECONDS = 30;
  /** Steps either side of the current one still accepted: a phone's clock may be a little off. */
  public static final int DRIFT_STEPS = 1;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final int MODULUS = 1_000_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Totp() {}

  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The time step that {@code at} falls in. */
  public static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
  }

  /** The code for one time step (HOTP with the step as counter), zero-padded to six digits. */
  public static String code(byte[] secret, long step) {
    byte[] hash;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    int offset = hash[hash.length - 1] & 0x0f;
    int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
        | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
    return String.format(Locale.ROOT, "%0" + DIGITS + "d", binary % MODULUS);
  }

  /** True for six ASCII digits, the only shape a TOTP code has. */
  public static boolean looksLikeCode(String code) {
    return code != null && code.length() == DIGITS && code.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /**
   * The step, within the drift around {@code now}, whose code is {@code code}; empty when none is.
   * Every candidate is compared, in constant time, so the timing tells nothing about which matched.
   */
  public static OptionalLong matchingStep(byte[] secret, String code, Instant now) {
    if (!looksLikeCode(code)) return OptionalLong.empty();
    long current = step(now);
    byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
    OptionalLong found = OptionalLong.empty();
    for (long s = current - DRIFT_STEPS; s <= current + DRIFT_STEPS; s++) {
      if (MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII), presented)) {
        found = OptionalLong.of(s);
      }
    }
    return found;
  }

  /** RFC 4648 base32 without padding, as authenticator apps take secrets. */
  public static String base32(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    return out.toString();
  }

  /** The bytes of an unpadded base32 string written by {@link #base32}. */
  public static byte[] fromBase32(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toCharArray()) {
      int value = BASE32.indexOf(c);
      if (value < 0) throw new IllegalArgumentException("not base32");
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  /** The otpauth URI authenticator apps read from a QR code. */
  public static String uri(String issuer, String account, byte[] secret) {
    String label = encode(issuer) + ":" + encode(account);
    return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + encode(issuer)
        + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
