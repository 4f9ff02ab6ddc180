package com.monei.connect.server.oauth;

import com.monei.connect.server.token.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** RFC 7636 with S256 only: plain would let anyone who sees the challenge redeem the code. */
public final class Pkce {
  /** code_verifier = 43*128unreserved (RFC 7636 §4.1). */
  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
  /** BASE64URL(SHA256(verifier)) without padding is always 43 characters. */
  private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9\\-_]{43}");

  private Pkce() {}

  public static boolean isValidChallenge(String challenge) {
    return challenge != null && S256_CHALLENGE.matcher(challenge).matches();
  }

  public static boolean verifies(String verifier, String challenge) {
    if (verifier == null || !VERIFIER.matcher(verifier).matches()) return false;
    return Hashes.constantTimeEquals(s256(verifier), challenge);
  }

  public static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
