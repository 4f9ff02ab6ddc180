package com.monei.connect.client;

import java.util.List;
import java.util.Map;

/** The scopes a Monei Connect app can request, as the server names them. */
public final class Scopes {
  /** See the user's name and email address ({@code GET /api/v1/profile/me}). */
  public static final String PROFILE_READ = "profile:read";
  /** See the wallet's balances and transaction history. */
  public static final String WALLET_READ = "wallet:read";
  /** Send money from the wallet on the user's behalf, within the limit the user set. */
  public static final String WALLET_SEND = "wallet:send";

  /** Every scope above, in the order the consent screen lists them. */
  public static final List<String> ALL = List.of(PROFILE_READ, WALLET_READ, WALLET_SEND);

  private static final Map<String, String> PLAIN_ENGLISH = Map.of(
      PROFILE_READ, "See your name and email address",
      WALLET_READ, "See your wallet balances and transaction history",
      WALLET_SEND, "Send money from your wallet on your behalf");

  private Scopes() {}

  /**
   * What {@code scope} lets an app do, in the words Monei's consent screen uses, for showing to
   * people; a scope this SDK does not know comes back as it is.
   */
  public static String describe(String scope) {
    return PLAIN_ENGLISH.getOrDefault(scope, scope);
  }
}
