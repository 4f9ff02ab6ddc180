package com.monei.connect.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed
 * ({@code MONEI_TRUSTED_PROXIES}): IPv4 and IPv6 addresses and CIDR blocks. Only literal addresses
 * are accepted, never host names, so nothing here ever asks DNS.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  /** What an IPv6 literal may be made of: no zone ids, no brackets, no letters beyond hex. */
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private final List<Block> blocks;
  private final String text;

  private TrustedProxies(List<Block> blocks, String text) {
    this.blocks = blocks;
    this.text = text;
  }

  /** One address ({@code /32} or {@code /128}) or CIDR block; host bits of the network are ignored. */
  private record Block(byte[] network, int prefix) {
    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) return false;
      int full = prefix / 8;
      for (int i = 0; i < full; i++) if (bytes[i] != network[i]) return false;
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = 0xFF << (8 - rest);
      return (bytes[full] & mask) == (network[full] & mask);
    }
  }

  /**
   * Parses a comma-separated list ({@code 10.0.0.0/8, 192.0.2.7, ::1, 2001:db8::/32}); blank means
   * none. An entry that is not a literal address or CIDR block throws IllegalArgumentException.
   */
  public static TrustedProxies parse(String list) {
    if (list == null || list.isBlank()) return NONE;
    List<Block> blocks = new ArrayList<>();
    for (String raw : list.split(",", -1)) {
      String entry = raw.strip();
      if (entry.isEmpty()) throw new IllegalArgumentException("empty entry in the list");
      blocks.add(block(entry));
    }
    return new TrustedProxies(List.copyOf(blocks), list.strip());
  }

  private static Block block(String entry) {
    int slash = entry.indexOf('/');
    String addressPart = slash < 0 ? entry : entry.substring(0, slash);
    InetAddress address = literal(addressPart).orElseThrow(() ->
        new IllegalArgumentException(printable(entry) + " is not an IP address or CIDR block"));
    int bits = address.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = entry.substring(slash + 1);
      if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bits)
        throw new IllegalArgumentException(printable(entry) + " has a prefix length outside 0-" + bits);
      prefix = Integer.parseInt(length);
    }
    return new Block(address.getAddress(), prefix);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean contains(InetAddress address) {
    for (Block block : blocks) if (block.contains(address)) return true;
    return false;
  }

  /**
   * The address written as {@code text}, an IPv4 dotted quad (no leading zeros, which some parsers
   * read as octal) or an IPv6 literal (an IPv4-mapped one becomes the IPv4 address); empty for
   * anything else. Checked by pattern first: InetAddress would look a host name up in DNS, and
   * given only hex digits, colons and dots it parses a literal or refuses without a look-up.
   */
  public static Optional<InetAddress> literal(String text) {
    if (text == null) return Optional.empty();
    boolean v4 = IPV4.matcher(text).matches();
    if (!v4 && !(text.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(text).matches())) return Optional.empty();
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Configuration text quoted in a one-line message: control characters would break the line. */
  private static String printable(String entry) {
    String shown = entry.length() > 60 ? entry.substring(0, 60) + "..." : entry;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  @Override
  public String toString() {
    return text;
  }
}
