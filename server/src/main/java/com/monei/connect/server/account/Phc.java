package com.monei.connect.server.account;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id hash as stored: the PHC string {@code $argon2id$v=19$m=M,t=T,p=P$salt$hash}, salt and
 * hash in base64 without padding, exactly as libargon2 (and password4j before it) writes them, so
 * each hash carries the parameters it was made with.
 */
record Phc(int version, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
  /** libargon2 reads a missing version as 1.0 (0x10); ours are all 1.3 (0x13, written 19). */
  private static final Pattern FORMAT = Pattern.compile(
      "\\$argon2id\\$(?:v=(\\d{1,3})\\$)?m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,3})"
          + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

  /** The parsed string, or empty for anything not in this format. */
  static Optional<Phc> parse(String text) {
    if (text == null) return Optional.empty();
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) return Optional.empty();
    try {
      int version = m.group(1) == null ? 0x10 : Integer.parseInt(m.group(1));
      if (version != 0x10 && version != 0x13) return Optional.empty();
      return Optional.of(new Phc(version, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)), Base64.getDecoder().decode(m.group(5)),
          Base64.getDecoder().decode(m.group(6))));
    } catch (IllegalArgumentException outOfRangeOrNotBase64) {
      return Optional.empty();
    }
  }

  int hashLength() {
    return hash.length;
  }

  Phc withHash(byte[] value) {
    return new Phc(version, memoryKib, iterations, parallelism, salt, value);
  }

  String format() {
    return "$argon2id$v=" + version + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
        + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
  }
}
