package com.monei.connect.server.support;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An authenticator app for tests: RFC 6238 codes (HMAC-SHA-1, 30-second steps) from the base32
 * secret a page shows. Written apart from the server's own TOTP class, so tests check that class
 * rather than agree with it.
 */
public final class TotpCodes {
  private TotpCodes() {}

  /** The six-digit code an app shows at {@code at} for the base32 {@code secret}. */
  public static String at(String secret, Instant at) {
    return String.format("%06d", Integer.parseInt(code(decode(secret), at.getEpochSecond() / 30, 8)) % 1_000_000);
  }

  /** The RFC's own shape: {@code digits} digits for the step {@code counter}, with the raw key. */
  public static String code(byte[] key, long counter, int digits) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] msg = new byte[8];
      for (int i = 7; i >= 0; i--) {
        msg[i] = (byte) counter;
        counter >>= 8;
      }
      byte[] h = mac.doFinal(msg);
      int o = h[19] & 0xf;
      long bin = ((h[o] & 0x7fL) << 24) | ((h[o + 1] & 0xffL) << 16) | ((h[o + 2] & 0xffL) << 8) | (h[o + 3] & 0xffL);
      long mod = (long) Math.pow(10, digits);
      String s = Long.toString(bin % mod);
      return "0".repeat(digits - s.length()) + s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 4648 base32, padding and case forgiven. */
  public static byte[] decode(String base32) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long bits = 0;
    int count = 0;
    for (char c : base32.toUpperCase().replace("=", "").toCharArray()) {
      bits = (bits << 5) | alphabet.indexOf(c);
      count += 5;
      if (count >= 8) {
        out.write((int) (bits >> (count - 8)) & 0xff);
        count -= 8;
      }
    }
    return out.toByteArray();
  }
}
