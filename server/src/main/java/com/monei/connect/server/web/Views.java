package com.monei.connect.server.web;

import com.monei.connect.server.consent.Scope;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The view models of the pages, one record per template. */
public final class Views {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  private Views() {}

  /** An instant as the pages show it. */
  public static String when(Instant at) {
    return WHEN.format(at);
  }

  /** {@code appName}: the app whose authorization request the sign-in continues, or null. */
  public record Login(String email, String error, String csrfToken, String returnTo, String appName) {}

  /** The second step of a sign-in: a code from the authenticator app or a recovery code. */
  public record LoginVerify(String error, String csrfToken) {}

  /** An authenticator-app secret being set up: as text and as a QR code (inline SVG made by Monei). */
  public record TotpEnrolment(String secret, String qrSvg) {}

  /**
   * /account/security. {@code enrolment} is set while a secret is being confirmed;
   * {@code recoveryCodes} only in the answer that made them, the one time they are shown.
   */
  public record Security(boolean totpEnabled, int recoveryCodesLeft, TotpEnrolment enrolment,
      List<String> recoveryCodes, String notice, String error, String csrfToken, PasskeyViews.Section passkeys) {}

  public record ScopeChoice(Scope scope, boolean checked) {}

  public record Consent(String requestId, String csrfToken, String appName, String logoUrl, String monogram,
      String userName, String userEmail, List<ScopeChoice> choices, List<Scope> alreadyGranted,
      boolean asksToSend, String sendLimit, String sendLimitCurrency, String sendConfirmAbove, List<String> currencies,
      String error,
      String redirectHost, String websiteUrl, String privacyUrl, boolean verified, String logoutCsrfToken,
      String authorizeRequest) {}

  public record Error(String title, String message) {}

  public record Home(String userName, String userEmail, String csrfToken) {}

  public record Connection(String clientId, String appName, String logoUrl, String monogram, List<Scope> scopes,
      String connectedAt, String lastUsedAt, String sendLimit, SendLimit limit) {}

  /**
   * A grant's send limit: as text, its amount and currency for the form, the grant's own threshold
   * (empty when none) and the threshold in force with the operator's floor ({@code null}: none).
   */
  public record SendLimit(String text, String amount, String currency, String confirmAbove,
      String effectiveConfirmAbove) {}

  public record Connections(List<Connection> connections, String csrfToken, String notice, String error) {}

  /**
   * A send waiting for the user's confirmation; {@code outcome} is set once it was answered or
   * expired (then there is no form).
   */
  public record SendConfirmation(String id, String csrfToken, String appName, String amount, String currency,
      String recipientName, String recipientEmail, String recipientWalletId, String note, String expiresAt,
      boolean asksForCode, boolean hasPasskeys, String outcome, String error) {}

  /** One of the developer's apps as the portal lists it. */
  public record DeveloperApp(String clientId, String name, String logoUrl, String monogram, boolean isPublic,
      List<String> redirectUris, boolean resourceServer, String websiteUrl, String privacyUrl, boolean verified) {}

  /** What the registration form shows again after a refusal; the logo file has to be chosen again. */
  public record RegisterForm(String name, String redirectUris, boolean isPublic, boolean resourceServer,
      String website, String privacyUrl) {}

  public record DeveloperApps(List<DeveloperApp> apps, String csrfToken, RegisterForm form, String error,
      String notice) {}

  public record DeveloperAppDetail(DeveloperApp app, String csrfToken, String redirectUris,
      String previousSecretValidUntil, String error, String notice) {}

  /**
   * The one page that shows a client secret: once, right after registration or rotation.
   * {@code clientSecret} is null when it was shown already (a reload), and the page says so.
   */
  public record DeveloperSecret(DeveloperApp app, String clientSecret, boolean rotated,
      String previousSecretValidUntil, String csrfToken) {}
}
