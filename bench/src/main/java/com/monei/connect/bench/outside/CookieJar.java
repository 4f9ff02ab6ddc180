package com.monei.connect.bench.outside;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * One browser profile's cookies: name, value, host (or Domain), path. Secure cookies are sent over
 * plain http too, as browsers do for loopback origins (the JDK's CookieManager would not, and a
 * server that marks its cookies Secure on localhost would then lose its session). Expiry other
 * than removal (Max-Age=0, or an Expires in the past) is ignored: a flow lasts well under a second.
 */
final class CookieJar {
  private record Cookie(String name, String value, String domain, boolean hostOnly, String path) {}

  private final List<Cookie> cookies = new ArrayList<>();

  void clear() {
    cookies.clear();
  }

  /** The Cookie header for a request to {@code uri}, or null when no cookie applies. */
  String header(URI uri) {
    String host = host(uri);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder sb = new StringBuilder();
    for (Cookie c : cookies) {
      boolean hostMatches = c.hostOnly() ? host.equals(c.domain())
          : host.equals(c.domain()) || host.endsWith("." + c.domain());
      if (!hostMatches || !pathMatches(path, c.path())) continue;
      if (sb.length() > 0) sb.append("; ");
      sb.append(c.name()).append('=').append(c.value());
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** Keeps the Set-Cookie headers of an answer to a request to {@code uri}. */
  void store(URI uri, HttpHeaders headers) {
    for (String setCookie : headers.allValues("set-cookie")) store(uri, setCookie);
  }

  private void store(URI uri, String setCookie) {
    String[] parts = setCookie.split(";");
    int eq = parts[0].indexOf('=');
    if (eq <= 0) return;
    String name = parts[0].substring(0, eq).strip();
    String value = parts[0].substring(eq + 1).strip();
    String domain = host(uri);
    boolean hostOnly = true;
    String path = defaultPath(uri);
    boolean remove = false;
    for (int i = 1; i < parts.length; i++) {
      String attr = parts[i].strip();
      int aeq = attr.indexOf('=');
      String key = (aeq < 0 ? attr : attr.substring(0, aeq)).strip().toLowerCase(Locale.ROOT);
      String val = aeq < 0 ? "" : attr.substring(aeq + 1).strip();
      switch (key) {
        case "domain" -> {
          String d = val.startsWith(".") ? val.substring(1) : val;
          if (!d.isEmpty()) {
            domain = d.toLowerCase(Locale.ROOT);
            hostOnly = false;
          }
        }
        case "path" -> path = val.startsWith("/") ? val : "/";
        case "max-age" -> {
          try {
            remove |= Long.parseLong(val) <= 0;
          } catch (NumberFormatException ignored) {
            // a malformed Max-Age is ignored, as browsers do
          }
        }
        case "expires" -> remove |= expired(val);
        default -> { }
      }
    }
    for (Iterator<Cookie> it = cookies.iterator(); it.hasNext(); ) {
      Cookie c = it.next();
      if (c.name().equals(name) && c.domain().equals(domain) && c.path().equals(path)) it.remove();
    }
    if (!remove) cookies.add(new Cookie(name, value, domain, hostOnly, path));
  }

  private static boolean expired(String date) {
    try {
      return java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant().isBefore(java.time.Instant.now());
    } catch (RuntimeException e) {
      // Dates in other shapes (two-digit years, dashes): only the usual "removal" date of 1970 matters.
      return date.contains("1970");
    }
  }

  private static String host(URI uri) {
    return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
  }

  private static String defaultPath(URI uri) {
    String path = uri.getRawPath();
    if (path == null || !path.startsWith("/")) return "/";
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  private static boolean pathMatches(String requestPath, String cookiePath) {
    if (requestPath.equals(cookiePath)) return true;
    if (!requestPath.startsWith(cookiePath)) return false;
    return cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/';
  }
}
