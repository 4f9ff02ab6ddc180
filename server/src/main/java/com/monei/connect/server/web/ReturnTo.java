package com.monei.connect.server.web;

/** Where to go after sign-in: a path on this origin only, so the login page cannot be an open redirect. */
public final class ReturnTo {
  public static final String DEFAULT = "/";

  private ReturnTo() {}

  public static String safe(String returnTo) {
    if (returnTo == null || returnTo.isEmpty() || returnTo.length() > 4096) return DEFAULT;
    if (!returnTo.startsWith("/")) return DEFAULT;
    // "//host" and "/\host" are treated by browsers as another origin.
    if (returnTo.startsWith("//") || returnTo.startsWith("/\\")) return DEFAULT;
    for (int i = 0; i < returnTo.length(); i++) {
      char c = returnTo.charAt(i);
      if (c < 0x21 || c == 0x7f || c == '\\') return DEFAULT;
    }
    return returnTo;
  }
}
