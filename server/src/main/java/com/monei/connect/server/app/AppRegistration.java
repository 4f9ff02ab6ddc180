package com.monei.connect.server.app;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import com.monei.connect.server.token.TokenStore;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Registers apps and lets their owners manage them: validates what the developer gave, generates
 * the client id and secrets, rotates secrets with an overlap, edits redirect URIs, deletes apps.
 * Only the owner may change an app; for anyone else it does not exist.
 */
public final class AppRegistration {
  public static final int MAX_LOGO_BYTES = Logo.MAX_UPLOAD_BYTES;
  public static final int MAX_NAME_LENGTH = 80;
  public static final int MAX_REDIRECT_URIS = 20;
  public static final int MAX_REDIRECT_URI_LENGTH = 2000;
  public static final int MAX_LINK_LENGTH = 2000;

  private final AppStore apps;
  private final TokenStore tokens;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration secretOverlap;

  /** {@code secretOverlap}: how long a rotated-out secret keeps working. */
  public AppRegistration(AppStore apps, TokenStore tokens, Transactions tx, AuditLog audit, Clock clock,
      Duration secretOverlap) {
    this.apps = apps;
    this.tokens = tokens;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
    this.secretOverlap = secretOverlap;
  }

  /** What registration hands back; the secret is shown once and never stored in clear. */
  public record Registered(RegisteredApp app, String clientSecret) {}

  /** A new secret, shown once; the previous one keeps working until {@code previousValidUntil}. */
  public record RotatedSecret(RegisteredApp app, String clientSecret, Instant previousValidUntil) {}

  public Registered register(String name, List<String> redirectUris, byte[] logo, boolean isPublic,
      String ownerUserId) {
    return register(name, redirectUris, logo, isPublic, ownerUserId, false);
  }

  /**
   * Registers an app; a {@code resourceServer} may also introspect other apps' access tokens, and
   * must be confidential, since introspection needs the caller's secret.
   */
  public Registered register(String name, List<String> redirectUris, byte[] logo, boolean isPublic,
      String ownerUserId, boolean resourceServer) {
    return register(name, redirectUris, logo, isPublic, ownerUserId, resourceServer, null, null);
  }

  /**
   * Registers an app with its website and privacy-policy URLs (https; null or blank for none), which
   * the consent screen links to.
   */
  public Registered register(String name, List<String> redirectUris, byte[] logo, boolean isPublic,
      String ownerUserId, boolean resourceServer, String websiteUrl, String privacyUrl) {
    String website = validateLink(websiteUrl, "The website");
    String privacy = validateLink(privacyUrl, "The privacy policy");
    String cleanName = name == null ? "" : name.strip();
    if (cleanName.isEmpty() || cleanName.length() > MAX_NAME_LENGTH)
      throw new ValidationException("The app name must be 1-" + MAX_NAME_LENGTH + " characters.");
    List<String> uris = validateRedirectUris(redirectUris);
    if (resourceServer && isPublic)
      throw new ValidationException("A resource server must be a confidential app: introspection needs its secret.");
    Logo storedLogo = logo == null ? null : validateLogo(logo);
    String clientId = TokenFormat.CLIENT_ID + TokenFormat.randomBase62(24);
    String secret = isPublic ? null : TokenFormat.generate(TokenFormat.CLIENT_SECRET);
    RegisteredApp app = new RegisteredApp(clientId, cleanName, isPublic, List.copyOf(uris), storedLogo != null,
        ownerUserId, resourceServer, website, privacy, false);
    // The app and its audit event commit together: no app without the record of who made it.
    tx.inTransaction(() -> {
      apps.create(app, secret == null ? null : Hashes.sha256(secret), storedLogo, clock.instant());
      audit.record(AuditLog.APP_CREATED, ownerUserId, clientId, null,
          (isPublic ? "public" : "confidential") + (resourceServer ? ", resource server" : ""));
    });
    return new Registered(app, secret);
  }

  /** The apps {@code userId} owns, oldest first. */
  public List<RegisteredApp> ownedBy(String userId) {
    return apps.ownedBy(userId);
  }

  /** The app when {@code userId} owns it; empty when it does not exist or belongs to someone else. */
  public Optional<RegisteredApp> findOwned(String clientId, String userId) {
    if (clientId == null || userId == null) return Optional.empty();
    return apps.find(clientId).filter(app -> userId.equals(app.ownerUserId()));
  }

  /** When the app's previous secret stops working, while one is still in its overlap. */
  public Optional<Instant> previousSecretValidUntil(String clientId) {
    return apps.previousSecretExpiry(clientId, clock.instant());
  }

  /**
   * Replaces the redirect URIs of the owner's app; empty when {@code userId} does not own it.
   * Authorization requests naming a removed URI are refused from now on.
   */
  public Optional<RegisteredApp> changeRedirectUris(String clientId, String userId, List<String> redirectUris) {
    List<String> uris = validateRedirectUris(redirectUris);
    return tx.inTransaction(() -> {
      Optional<RegisteredApp> app = findOwned(clientId, userId);
      if (app.isEmpty()) return app;
      apps.replaceRedirectUris(clientId, uris);
      audit.record(AuditLog.APP_REDIRECT_URIS_CHANGED, userId, clientId, null, uris.size() + " redirect URIs");
      return apps.find(clientId);
    });
  }

  /**
   * Gives the owner's confidential app a new secret. The previous one keeps working for the
   * configured overlap, so the developer can deploy the new one without downtime, then stops.
   * Empty when {@code userId} does not own the app; public apps have no secret to rotate.
   */
  public Optional<RotatedSecret> rotateSecret(String clientId, String userId) {
    String secret = TokenFormat.generate(TokenFormat.CLIENT_SECRET);
    return tx.inTransaction(() -> {
      Optional<RegisteredApp> app = findOwned(clientId, userId);
      if (app.isEmpty()) return Optional.<RotatedSecret>empty();
      if (app.get().isPublic()) throw new ValidationException("Public apps have no client secret.");
      Instant now = clock.instant();
      Instant previousUntil = now.plus(secretOverlap);
      apps.rotateSecret(clientId, Hashes.sha256(secret), now, previousUntil);
      audit.record(AuditLog.APP_SECRET_ROTATED, userId, clientId, null,
          "previous secret valid for " + secretOverlap.toSeconds() + " s");
      return Optional.of(new RotatedSecret(app.get(), secret, previousUntil));
    });
  }

  /**
   * Ends the overlap of the owner's rotated secrets at once (a leaked old secret): only the current
   * secret works from now on. Empty when {@code userId} does not own the app; otherwise how many
   * previous secrets stopped working (0 when none was in its overlap).
   */
  public Optional<Integer> revokePreviousSecrets(String clientId, String userId) {
    return tx.inTransaction(() -> {
      Optional<RegisteredApp> app = findOwned(clientId, userId);
      if (app.isEmpty()) return Optional.<Integer>empty();
      return Optional.of(revokePreviousSecrets(app.get(), userId));
    });
  }

  /**
   * The operator's way ({@code apps revoke-previous-secret}): the same for any app, owned or not.
   * How many previous secrets stopped working; a ValidationException for an unknown client id.
   */
  public int revokePreviousSecrets(String clientId) {
    return tx.inTransaction(() -> {
      RegisteredApp app = (clientId == null ? Optional.<RegisteredApp>empty() : apps.find(clientId))
          .orElseThrow(() -> new ValidationException("no app with client_id " + clientId));
      return revokePreviousSecrets(app, null);
    });
  }

  private int revokePreviousSecrets(RegisteredApp app, String userId) {
    if (app.isPublic()) throw new ValidationException("Public apps have no client secret.");
    int revoked = apps.deletePreviousSecrets(app.clientId());
    audit.record(AuditLog.APP_PREVIOUS_SECRET_REVOKED, userId, app.clientId(), null,
        revoked + " previous secrets revoked" + (userId == null ? " by an operator" : ""));
    return revoked;
  }

  /**
   * The operator's {@code apps verify}: the consent screen stops saying Monei has not verified the
   * app. A ValidationException for an unknown client id.
   */
  public RegisteredApp verify(String clientId) {
    return tx.inTransaction(() -> {
      if (clientId == null || !apps.markVerified(clientId))
        throw new ValidationException("no app with client_id " + clientId);
      audit.record(AuditLog.APP_VERIFIED, null, clientId, null, "verified by an operator");
      return apps.find(clientId).orElseThrow();
    });
  }

  /**
   * Deletes the owner's app: every token it holds is revoked and its consents, codes, secrets,
   * redirect URIs and logo are deleted with it, in one transaction. False when {@code userId}
   * does not own it.
   */
  public boolean delete(String clientId, String userId) {
    return tx.inTransaction(() -> {
      if (findOwned(clientId, userId).isEmpty()) return false;
      // Deleting the app cascades to its families too; revoking first keeps that true whatever the
      // schema does, and counts what was cut off for the audit trail.
      int families = tokens.revokeAllFamiliesOfApp(clientId, clock.instant());
      apps.delete(clientId);
      audit.record(AuditLog.APP_DELETED, userId, clientId, null, families + " token families revoked");
      return true;
    });
  }

  /**
   * One to {@value #MAX_REDIRECT_URIS} valid redirect URIs, duplicates dropped, order kept.
   */
  public static List<String> validateRedirectUris(List<String> redirectUris) {
    if (redirectUris == null || redirectUris.isEmpty())
      throw new ValidationException("At least one redirect URI is required.");
    List<String> uris = new ArrayList<>();
    for (String uri : redirectUris) {
      if (uri != null && uri.length() > MAX_REDIRECT_URI_LENGTH)
        throw new ValidationException("A redirect URI may be at most " + MAX_REDIRECT_URI_LENGTH
            + " characters long.");
      validateRedirectUri(uri);
      if (!uris.contains(uri)) uris.add(uri);
    }
    if (uris.size() > MAX_REDIRECT_URIS)
      throw new ValidationException("An app may have at most " + MAX_REDIRECT_URIS + " redirect URIs.");
    return List.copyOf(uris);
  }

  /**
   * Absolute https URIs, or http on localhost/127.0.0.1 for development; no fragment (RFC 6749 §3.1.2).
   */
  public static void validateRedirectUri(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException | NullPointerException e) {
      throw new ValidationException("Redirect URI is not a valid URI: " + uri);
    }
    if (!parsed.isAbsolute() || parsed.getHost() == null)
      throw new ValidationException("Redirect URI must be absolute: " + uri);
    if (parsed.getRawFragment() != null)
      throw new ValidationException("Redirect URI must not contain a fragment: " + uri);
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    String host = parsed.getHost().toLowerCase(Locale.ROOT);
    boolean local = host.equals("localhost") || host.equals("127.0.0.1");
    if (!scheme.equals("https") && !(scheme.equals("http") && local))
      throw new ValidationException("Redirect URI must use https (http only for localhost): " + uri);
    if (parsed.getRawUserInfo() != null)
      throw new ValidationException("Redirect URI must not contain user info: " + uri);
  }

  /**
   * An optional link shown on the consent screen: null when blank, else an absolute https URL with a
   * host and no user info (the consent screen must never link to another scheme).
   */
  public static String validateLink(String url, String what) {
    if (url == null || url.isBlank()) return null;
    String link = url.strip();
    if (link.length() > MAX_LINK_LENGTH)
      throw new ValidationException(what + " URL may be at most " + MAX_LINK_LENGTH + " characters long.");
    ValidationException refused =
        new ValidationException(what + " URL must be an https address such as https://example.com/.");
    URI parsed;
    try {
      parsed = new URI(link);
    } catch (URISyntaxException e) {
      throw refused;
    }
    if (!"https".equalsIgnoreCase(parsed.getScheme()) || parsed.getHost() == null || parsed.getRawUserInfo() != null)
      throw refused;
    return link;
  }

  /**
   * PNG or JPEG of at most 100 KB, proven by decoding it rather than trusting a name or header, and
   * stored as the PNG Monei re-encodes from its pixels ({@link Logo#encode}).
   */
  public static Logo validateLogo(byte[] data) {
    return Logo.encode(data);
  }
}
