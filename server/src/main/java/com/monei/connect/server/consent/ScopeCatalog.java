package com.monei.connect.server.consent;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The scopes Monei Connect knows, in the order screens list them. Adding a scope is one entry here.
 */
public final class ScopeCatalog {
  public static final String PROFILE_READ = "profile:read";
  public static final String WALLET_READ = "wallet:read";
  public static final String WALLET_SEND = "wallet:send";

  public static final List<Scope> ALL = List.of(
      new Scope(PROFILE_READ, "See your name and email address"),
      new Scope(WALLET_READ, "See your wallet balances and transaction history"),
      new Scope(WALLET_SEND, "Send money from your wallet on your behalf"));

  private ScopeCatalog() {}

  public static Optional<Scope> find(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public static boolean isKnown(String name) {
    return find(name).isPresent();
  }

  /** The given scope names in catalog order, unknown names dropped. */
  public static Set<String> ordered(Collection<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (Scope s : ALL) if (names.contains(s.name())) out.add(s.name());
    return out;
  }

  /** A space-separated scope string, as RFC 6749 §3.3 writes it, parsed; empty parts ignored. */
  public static Set<String> parse(String spaceSeparated) {
    Set<String> out = new LinkedHashSet<>();
    if (spaceSeparated == null) return out;
    for (String part : spaceSeparated.split(" ")) if (!part.isEmpty()) out.add(part);
    return out;
  }

  /** The space-separated form, in catalog order. */
  public static String format(Collection<String> names) {
    return String.join(" ", ordered(names));
  }

  public static List<Scope> describe(Collection<String> names) {
    return ALL.stream().filter(s -> names.contains(s.name())).collect(Collectors.toList());
  }
}
