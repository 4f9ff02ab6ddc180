package com.monei.connect.server.account;

import com.monei.connect.server.token.Hashes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One-time recovery codes: 80 random bits each, written as four groups of four base32 letters and
 * digits, so a user can copy one by hand. Stored as a SHA-256 of the user and the code: with 80
 * bits a fast hash gives nothing away, and the user in it keeps one user's code from matching
 * another's.
 */
public final class RecoveryCodes {
  public static final int COUNT = 10;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int LENGTH = 16;
  private static final int GROUP = 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RecoveryCodes() {}

  public static List<String> generate() {
    List<String> codes = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      StringBuilder code = new StringBuilder();
      for (int c = 0; c < LENGTH; c++) {
        if (c > 0 && c % GROUP == 0) code.append('-');
        code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
      }
      codes.add(code.toString());
    }
    return codes;
  }

  /** The code as typed, without case, spaces or dashes; null when it cannot be a recovery code. */
  public static String normalize(String typed) {
    if (typed == null || typed.length() > 4 * LENGTH) return null;
    String code = typed.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    if (code.length() != LENGTH || !code.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) return null;
    return code;
  }

  /** What is stored of a normalized code of {@code userId}. */
  public static String hash(String userId, String normalized) {
    return Hashes.sha256("recovery-code\n" + userId + "\n" + normalized);
  }

  public static List<String> hashes(String userId, List<String> codes) {
    return codes.stream().map(code -> hash(userId, normalize(code))).toList();
  }
}
