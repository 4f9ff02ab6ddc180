package com.monei.connect.client;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The auth-params of the {@code Bearer} challenge in a {@code WWW-Authenticate} header (RFC 6750 §3,
 * RFC 9110 §11.6.1): {@code Bearer realm="monei", error="insufficient_scope", scope="wallet:read"}.
 */
final class BearerChallenge {
  private BearerChallenge() {}

  /** The parameters of the Bearer challenge, lower-case names; empty when there is none. */
  static Map<String, String> parse(String header) {
    Map<String, String> params = new LinkedHashMap<>();
    if (header == null) return params;
    Scanner s = new Scanner(header);
    boolean inBearer = false;
    while (s.more()) {
      s.skip(" \t,");
      String token = s.token();
      if (token.isEmpty()) {
        s.pos++; // a character no rule accepts: skip it
        continue;
      }
      s.skip(" \t");
      if (s.peek() == '=' && !s.startsToken68End()) {
        s.pos++;
        s.skip(" \t");
        String value = s.peek() == '"' ? s.quoted() : s.token();
        if (inBearer) params.putIfAbsent(token.toLowerCase(Locale.ROOT), value);
      } else {
        // A new challenge starts; a second Bearer challenge is ignored.
        if (inBearer) break;
        inBearer = token.equalsIgnoreCase("Bearer");
      }
    }
    return params;
  }

  private static final class Scanner {
    final String text;
    int pos;

    Scanner(String text) {
      this.text = text;
    }

    boolean more() {
      return pos < text.length();
    }

    char peek() {
      return more() ? text.charAt(pos) : '\0';
    }

    void skip(String chars) {
      while (more() && chars.indexOf(text.charAt(pos)) >= 0) pos++;
    }

    /** True at "=" that ends a token68 ("abc==") rather than starting a value. */
    boolean startsToken68End() {
      int i = pos;
      while (i < text.length() && text.charAt(i) == '=') i++;
      while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
      return i - pos > 1 || i >= text.length() || text.charAt(i) == ',';
    }

    String token() {
      int start = pos;
      while (more() && isTokenChar(text.charAt(pos))) pos++;
      return text.substring(start, pos);
    }

    String quoted() {
      StringBuilder sb = new StringBuilder();
      pos++; // opening quote
      while (more()) {
        char c = text.charAt(pos++);
        if (c == '"') break;
        if (c == '\\' && more()) c = text.charAt(pos++);
        sb.append(c);
      }
      return sb.toString();
    }

    private static boolean isTokenChar(char c) {
      return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0 || c == '/' || c == ':';
    }
  }
}
