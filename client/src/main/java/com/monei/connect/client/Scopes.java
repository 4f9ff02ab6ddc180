package com.monei.connect.client;

import java.util.List;

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

  private Scopes() {}
}
