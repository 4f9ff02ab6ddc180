package com.monei.connect.example;

import com.monei.connect.client.Scopes;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What each Monei scope lets Your App do and what is unavailable without it: the one place for these texts. */
final class ScopeTexts {
  /** What Your App asks for when the user presses "Connect Monei". */
  static final List<String> DEFAULT_SCOPES = Scopes.ALL;

  /**
   * @param scope the scope's name, as Monei spells it
   * @param unavailable the sentence the dashboard shows while the scope is not granted
   */
  record Text(String scope, String unavailable) {}

  private static final Map<String, Text> TEXTS = new LinkedHashMap<>();

  static {
    add(Scopes.PROFILE_READ, "Your App cannot show your name and email address.");
    add(Scopes.WALLET_READ, "Your App cannot show your balances or your latest transactions.");
    add(Scopes.WALLET_SEND, "Your App cannot send money from your wallet.");
  }

  private static void add(String scope, String unavailable) {
    TEXTS.put(scope, new Text(scope, unavailable));
  }

  private ScopeTexts() {}

  static boolean known(String scope) {
    return TEXTS.containsKey(scope);
  }

  static Text of(String scope) {
    Text text = TEXTS.get(scope);
    return text != null ? text : new Text(scope, "Your App cannot use " + scope + ".");
  }

  /** The page that asks Monei for just {@code scopes}, e.g. {@code /connect-monei?scope=wallet:send}. */
  static String connectUrl(Collection<String> scopes) {
    // Scope names are a colon and letters, which a query may carry as they are; the space between two is %20.
    return "/connect-monei?scope=" + String.join("%20", scopes);
  }
}
