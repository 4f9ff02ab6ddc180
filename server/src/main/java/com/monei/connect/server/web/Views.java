package com.monei.connect.server.web;

import com.monei.connect.server.consent.Scope;
import java.util.List;

/** The view models of the pages, one record per template. */
public final class Views {
  private Views() {}

  public record Login(String email, String error, String csrfToken, String returnTo) {}

  public record ScopeChoice(Scope scope, boolean checked) {}

  public record Consent(String requestId, String csrfToken, String appName, String logoUrl, String monogram,
      String userName, String userEmail, List<ScopeChoice> choices, List<Scope> alreadyGranted,
      boolean asksToSend, String sendLimit, String sendLimitCurrency, List<String> currencies, String error,
      String redirectHost) {}

  public record Error(String title, String message) {}

  public record Home(String userName, String userEmail, String csrfToken) {}

  public record Connection(String clientId, String appName, String logoUrl, String monogram, List<Scope> scopes,
      String connectedAt, String lastUsedAt, String sendLimit) {}

  public record Connections(List<Connection> connections, String csrfToken, String notice) {}
}
