package com.monei.connect.example;

import java.util.List;

/** What each template shows: plain values, prepared by the routes (public for the compiled templates). */
public final class Views {
  private Views() {}

  /** A message for the next page after a redirect: a success or a problem. */
  public record Notice(boolean ok, String text) {
    static Notice ok(String text) {
      return new Notice(true, text);
    }

    static Notice problem(String text) {
      return new Notice(false, text);
    }
  }

  public record Home(boolean connected, Notice notice) {}

  /**
   * The dashboard; a section whose scope is not granted is null, and a section Monei would not serve
   * carries a problem text instead.
   */
  public record Dashboard(String csrfToken, Notice notice, List<String> grantedScopes, Profile profile,
      String profileProblem, Wallet wallet, String walletProblem, SendForm send, PendingSend pending,
      List<Unavailable> unavailable, String askAllUrl) {}

  public record Profile(String name, String email) {}

  public record Wallet(List<Money> balances, List<Row> transactions) {}

  public record Money(String currency, String amount) {}

  /** One line of history: "Sent NGN 250.00 to Friendly Friend", with its note and time. */
  public record Row(String direction, String amount, String counterparty, String note, String when) {}

  /**
   * The send form; {@code idempotencyKey} is new for each rendering, so submitting it twice sends once.
   * {@code limit} is null when Monei did not say how much Your App may send.
   */
  public record SendForm(List<String> currencies, String idempotencyKey, SendLimit limit) {}

  /**
   * What the user allowed Your App to send: "NGN 1000.00 per 24 hours", what is left of it now (null
   * when unknown), and the amount above which each send is confirmed in Monei (null when none is).
   */
  public record SendLimit(String currency, String amount, int windowHours, String remaining, String confirmAbove) {}

  /** A send waiting for the user's confirmation in Monei, with the link to confirm it there. */
  public record PendingSend(String amount, String to, String note, String confirmationUrl, String expiresAt) {}

  /** A scope the user has not granted: what is unavailable, and the link that asks Monei for just it. */
  public record Unavailable(String scope, String sentence, String askUrl) {}

  public record Denied(List<String> unavailable, String retryUrl) {}

  public record StateMismatch(String startUrl) {}

  public record Failed(String error, String description, String retryUrl) {}

  /** A short page: a title, a sentence, and one way on. */
  public record Message(String title, String text, String actionLabel, String actionUrl) {}
}
