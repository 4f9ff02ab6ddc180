package com.monei.connect.server.token;

/** Server-generated identifiers: a prefix and 22 random base62 characters (about 131 bits). */
public final class Ids {
  private Ids() {}

  public static String next(String prefix) {
    return prefix + TokenFormat.randomBase62(22);
  }
}
