package com.monei.connect.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a request came from (SPEC 1.2): the client IP that the sign-in limits, the audit trail and
 * the request log use, and whether the browser reached Monei over https. Resolved once per request
 * by {@link #resolver}, read anywhere with {@link #of}.
 *
 * <p>The client IP is the socket's peer, unless that peer is a trusted proxy: then it is the
 * rightmost {@code X-Forwarded-For} address that is not itself trusted (each proxy appends the
 * address it was reached from, so everything left of that address is what the client chose to
 * send), or the leftmost when all are trusted. An entry that is not an IP address ends the walk
 * at the last trusted hop: garbage is never taken for an address. Headers from any other peer are
 * ignored.
 *
 * @param ip the client's address in canonical form ({@link InetAddress#getHostAddress()})
 * @param secure the issuer is https (so is whatever fronts Monei), the connection itself is TLS, or
 *     a trusted proxy says {@code X-Forwarded-Proto: https}
 */
public record ClientAddress(String ip, boolean secure) {
  public static final String FORWARDED_FOR = "X-Forwarded-For";
  public static final String FORWARDED_PROTO = "X-Forwarded-Proto";

  private static final String ATTRIBUTE = "monei.client-address";
  /** An IPv4 address with a port ({@code 192.0.2.7:4711}) or a bracketed IPv6 one, with or without. */
  private static final Pattern WITH_PORT = Pattern.compile("([0-9.]+):[0-9]{1,5}|\\[([^\\]]+)\\](:[0-9]{1,5})?");

  /** The before-handler that resolves every request's address once and keeps it on the request. */
  public static Handler resolver(TrustedProxies trusted, boolean httpsIssuer) {
    return ctx -> {
      HttpServletRequest req = ctx.req();
      boolean secure = httpsIssuer || req.isSecure();
      ctx.attribute(ATTRIBUTE, trusted.isEmpty()
          ? resolve(req.getRemoteAddr(), secure, List.of(), List.of(), trusted)
          : resolve(req.getRemoteAddr(), secure, Collections.list(req.getHeaders(FORWARDED_FOR)),
              Collections.list(req.getHeaders(FORWARDED_PROTO)), trusted));
    };
  }

  /**
   * This request's address as {@link #resolver} found it; for a request it never saw (one refused
   * before routing), the socket's peer, believing no header.
   */
  public static ClientAddress of(Context ctx) {
    ClientAddress resolved = ctx.attribute(ATTRIBUTE);
    if (resolved != null) return resolved;
    return resolve(ctx.req().getRemoteAddr(), ctx.req().isSecure(), List.of(), List.of(), TrustedProxies.NONE);
  }

  /**
   * The rule itself: {@code forwardedFor} and {@code forwardedProto} are the header fields in the
   * order received (several fields of one name read as one comma-separated list).
   */
  static ClientAddress resolve(String peer, boolean secure, List<String> forwardedFor, List<String> forwardedProto,
      TrustedProxies trusted) {
    Optional<InetAddress> peerAddress = hop(peer == null ? "" : peer);
    // Not an IP peer (never the case over TCP): kept as it is, never trusted.
    if (peerAddress.isEmpty()) return new ClientAddress(String.valueOf(peer), secure);
    InetAddress client = peerAddress.get();
    if (!trusted.contains(client)) return new ClientAddress(client.getHostAddress(), secure);
    List<String> hops = entries(forwardedFor);
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = hop(hops.get(i));
      if (hop.isEmpty()) break;
      client = hop.get();
      if (!trusted.contains(client)) break;
    }
    // Believing https can only add protection (a Secure cookie, HSTS), so any trusted hop's word is enough.
    boolean forwardedHttps = entries(forwardedProto).stream().anyMatch(p -> p.toLowerCase(Locale.ROOT).equals("https"));
    return new ClientAddress(client.getHostAddress(), secure || forwardedHttps);
  }

  /** An address as proxies write it: bare, or with a port ({@code 192.0.2.7:4711}, {@code [2001:db8::1]:443}). */
  private static Optional<InetAddress> hop(String entry) {
    Matcher withPort = WITH_PORT.matcher(entry);
    if (!withPort.matches()) return TrustedProxies.literal(entry);
    return TrustedProxies.literal(withPort.group(1) != null ? withPort.group(1) : withPort.group(2));
  }

  private static List<String> entries(List<String> fields) {
    List<String> entries = new ArrayList<>();
    for (String field : fields) for (String entry : field.split(",", -1)) entries.add(entry.strip());
    return entries;
  }
}
