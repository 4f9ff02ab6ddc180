package com.monei.connect.server.web;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.app.AppRegistration;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.app.SecretReveals;
import com.monei.connect.server.validation.ValidationException;
import io.javalin.config.MultipartConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The developer portal under /developers/apps: a signed-in user registers apps and manages the
 * ones they own. Someone else's app answers 404, never 403, so its existence does not leak.
 */
public final class DeveloperPortalPage {
  static final String PATH = "/developers/apps";
  private static final String PURPOSE = "developers";
  private static final String TYPE_CONFIDENTIAL = "confidential";
  private static final String TYPE_PUBLIC = "public";
  private static final String FIELD_NAME = "name";
  private static final String FIELD_REDIRECT_URIS = "redirect_uris";
  private static final String FIELD_TYPE = "type";
  private static final String FIELD_LOGO = "logo";
  private static final String FIELD_CONFIRM = "confirm";
  private static final String FIELD_RESOURCE_SERVER = "resource_server";
  private static final String FIELD_WEBSITE = "website";
  private static final String FIELD_PRIVACY_URL = "privacy_url";
  /** Carries a new secret, sealed, from the POST that made it to the page that shows it once. */
  private static final String REVEAL_COOKIE = "monei_secret_reveal";
  private static final String NOTICE = "notice";
  /** Fixed texts selected by ?notice=, so nothing from the query string is echoed into the page. */
  private static final Map<String, String> NOTICES = Map.of(
      "registered", "Your app is registered. Public apps have no client secret: they use PKCE instead.",
      "redirect-uris", "The redirect URIs were saved.",
      "previous-secret-revoked", "The previous secret no longer works. Only the current secret does.",
      "no-previous-secret", "No previous secret was still working.",
      "deleted", "The app was deleted and every token it held was revoked.");
  /** Multipart parsing stops well above the logo limit, so an oversized logo still gets the form back. */
  private static final long MAX_UPLOAD_BYTES = 1024 * 1024;
  /** Beyond this an oversized upload is not read to its end: the connection is closed instead. */
  private static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;

  private final AppRegistration registration;
  private final SecretReveals reveals;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final ErrorPages errors;

  public DeveloperPortalPage(AppRegistration registration, SecretReveals reveals, BrowserSessions sessions,
      Pages pages, ErrorPages errors) {
    this.registration = registration;
    this.reveals = reveals;
    this.sessions = sessions;
    this.pages = pages;
    this.errors = errors;
  }

  /** Bounds multipart bodies (the registration form) instead of spooling any size to disk. */
  public static void limitUploads(MultipartConfig multipart) {
    multipart.maxFileSize(MAX_UPLOAD_BYTES, SizeUnit.BYTES);
    multipart.maxTotalRequestSize(2 * MAX_UPLOAD_BYTES, SizeUnit.BYTES);
    multipart.maxInMemoryFileSize(AppRegistration.MAX_LOGO_BYTES + 16 * 1024, SizeUnit.BYTES);
  }

  /**
   * Reads and drops the rest of an upload refused for its size, up to a bound: a browser (and most
   * HTTP clients) reads no answer before it has sent its whole body, so answering early and closing
   * would show the user a reset connection instead of the page saying what was wrong.
   */
  private static void drainUpload(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    if (length < 0 || length > MAX_DRAINED_BYTES) return;
    try (InputStream in = ctx.req().getInputStream()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      // Nothing more to read, or the parser has taken the stream: Jetty closes the connection then.
    }
  }

  /** GET /developers/apps: the user's apps and the registration form. */
  public void list(Context ctx) {
    Optional<Session> session = signedIn(ctx, PATH);
    if (session.isEmpty()) return;
    renderList(ctx, 200, session.get(), new Views.RegisterForm("", "", false, false, "", ""), null, notice(ctx));
  }

  /** POST /developers/apps (multipart, because of the logo): registers an app owned by the user. */
  public void register(Context ctx) {
    if (signedIn(ctx, PATH).isEmpty()) return;
    UploadedFile logoFile;
    try {
      ctx.formParamMap();
      logoFile = ctx.uploadedFile(FIELD_LOGO);
    } catch (Exception e) {
      // Jetty refuses a multipart body over the limits, or a malformed one, before any field can be read.
      boolean tooLarge = causedBy(e, IllegalStateException.class);
      if (tooLarge) drainUpload(ctx);
      errors.show(ctx, tooLarge ? 413 : 400, tooLarge
          ? "The upload is too large. A logo may be at most 100 KB." : "The form could not be read. Please try again.");
      return;
    }
    Session session = sessions.signedIn(ctx).orElseThrow();
    if (!Csrf.verify(session, PURPOSE, ctx.formParam(Csrf.FIELD))) {
      errors.formExpired(ctx);
      return;
    }
    Views.RegisterForm form = new Views.RegisterForm(orEmpty(ctx.formParam(FIELD_NAME)),
        orEmpty(ctx.formParam(FIELD_REDIRECT_URIS)), TYPE_PUBLIC.equals(ctx.formParam(FIELD_TYPE)),
        "true".equals(ctx.formParam(FIELD_RESOURCE_SERVER)), orEmpty(ctx.formParam(FIELD_WEBSITE)),
        orEmpty(ctx.formParam(FIELD_PRIVACY_URL)));
    String type = ctx.formParam(FIELD_TYPE);
    AppRegistration.Registered registered;
    try {
      if (!TYPE_CONFIDENTIAL.equals(type) && !TYPE_PUBLIC.equals(type))
        throw new ValidationException("Choose whether the app is confidential or public.");
      byte[] logo = readLogo(logoFile);
      registered = registration.register(form.name(), lines(form.redirectUris()), logo, form.isPublic(),
          session.userId(), form.resourceServer(), form.website(), form.privacyUrl());
    } catch (ValidationException e) {
      renderList(ctx, 400, session, form, e.getMessage(), null);
      return;
    }
    RegisteredApp app = registered.app();
    if (registered.clientSecret() == null) {
      ctx.redirect(detailPath(app.clientId()) + "?" + NOTICE + "=registered", HttpStatus.SEE_OTHER);
      return;
    }
    revealOnce(ctx, session, app, registered.clientSecret(), SecretReveals.Occasion.REGISTERED);
  }

  /** GET /developers/apps/{clientId}: the owner's settings page for one app. */
  public void detail(Context ctx, Session session, RegisteredApp app) {
    renderDetail(ctx, 200, session, app, String.join("\n", app.redirectUris()), null, notice(ctx));
  }

  /** POST /developers/apps/{clientId}/redirect-uris: replaces the redirect URIs (at least one). */
  public void changeRedirectUris(Context ctx, Session session, RegisteredApp app) {
    String entered = orEmpty(ctx.formParam(FIELD_REDIRECT_URIS));
    try {
      if (registration.changeRedirectUris(app.clientId(), session.userId(), lines(entered)).isEmpty()) {
        notFound(ctx);
        return;
      }
    } catch (ValidationException e) {
      renderDetail(ctx, 400, session, app, entered, e.getMessage(), null);
      return;
    }
    ctx.redirect(detailPath(app.clientId()) + "?" + NOTICE + "=redirect-uris", HttpStatus.SEE_OTHER);
  }

  /** POST /developers/apps/{clientId}/secret: a new secret, shown once; the old one works for the overlap. */
  public void rotateSecret(Context ctx, Session session, RegisteredApp app) {
    Optional<AppRegistration.RotatedSecret> rotated;
    try {
      rotated = registration.rotateSecret(app.clientId(), session.userId());
    } catch (ValidationException e) {
      renderDetail(ctx, 400, session, app, String.join("\n", app.redirectUris()), e.getMessage(), null);
      return;
    }
    if (rotated.isEmpty()) {
      notFound(ctx);
      return;
    }
    revealOnce(ctx, session, app, rotated.get().clientSecret(), SecretReveals.Occasion.ROTATED);
  }

  /**
   * GET /developers/apps/{clientId}/secret: the new secret, the first time this browser session
   * comes here after registering or rotating; afterwards (a reload, a copy of the cookie in another
   * session, a late visit) a page that says it was shown once and offers a new one.
   */
  public void showSecret(Context ctx, Session session, RegisteredApp app) {
    String path = secretPath(app.clientId());
    Optional<SecretReveals.Reveal> reveal = reveals.open(app.clientId(), session.id(), ctx.cookie(REVEAL_COOKIE));
    sessions.clearPathCookie(ctx, REVEAL_COOKIE, path);
    boolean rotated = reveal.map(r -> r.occasion() == SecretReveals.Occasion.ROTATED).orElse(false);
    String previousUntil = !rotated ? null
        : registration.previousSecretValidUntil(app.clientId()).map(Views::when).orElse(null);
    pages.render(ctx, 200, "developers_secret.jte", new Views.DeveloperSecret(view(app),
        reveal.map(SecretReveals.Reveal::clientSecret).orElse(null), rotated, previousUntil,
        Csrf.token(session, PURPOSE)));
  }

  /** POST /developers/apps/{clientId}/revoke-previous-secret: the rotated-out secrets stop working now. */
  public void revokePreviousSecret(Context ctx, Session session, RegisteredApp app) {
    Optional<Integer> revoked;
    try {
      revoked = registration.revokePreviousSecrets(app.clientId(), session.userId());
    } catch (ValidationException e) {
      renderDetail(ctx, 400, session, app, String.join("\n", app.redirectUris()), e.getMessage(), null);
      return;
    }
    if (revoked.isEmpty()) {
      notFound(ctx);
      return;
    }
    String notice = revoked.get() > 0 ? "previous-secret-revoked" : "no-previous-secret";
    ctx.redirect(detailPath(app.clientId()) + "?" + NOTICE + "=" + notice, HttpStatus.SEE_OTHER);
  }

  /**
   * Post/redirect/get: the secret goes sealed into a cookie for the page that shows it, and the POST
   * answers 303 there, so a reload repeats the GET (which shows nothing new), never the POST.
   */
  private void revealOnce(Context ctx, Session session, RegisteredApp app, String secret,
      SecretReveals.Occasion occasion) {
    String sealed = reveals.seal(app.clientId(), session.id(), secret, occasion);
    sessions.setPathCookie(ctx, REVEAL_COOKIE, sealed, secretPath(app.clientId()), SecretReveals.LIFETIME);
    ctx.header("Cache-Control", "no-store");
    ctx.redirect(secretPath(app.clientId()), HttpStatus.SEE_OTHER);
  }

  /** POST /developers/apps/{clientId}/delete: revokes the app's tokens and deletes it, once confirmed. */
  public void delete(Context ctx, Session session, RegisteredApp app) {
    if (!"yes".equals(ctx.formParam(FIELD_CONFIRM))) {
      renderDetail(ctx, 400, session, app, String.join("\n", app.redirectUris()),
          "Tick the box to confirm that you want to delete this app.", null);
      return;
    }
    if (!registration.delete(app.clientId(), session.userId())) {
      notFound(ctx);
      return;
    }
    ctx.redirect(PATH + "?" + NOTICE + "=deleted", HttpStatus.SEE_OTHER);
  }

  /** A handler of one app's pages, called only for its signed-in owner (see {@link #forOwner}). */
  @FunctionalInterface
  public interface OwnerHandler {
    void handle(Context ctx, Session session, RegisteredApp app);
  }

  /**
   * The route for {@code /developers/apps/{clientId}...}: "signed in and owns this app" (and, for a
   * form post, its CSRF token) checked here once, so a handler never sees another user's app.
   */
  public Handler forOwner(OwnerHandler handler) {
    return ctx -> owned(ctx).ifPresent(owned -> handler.handle(ctx, owned.session(), owned.app()));
  }

  private record Owned(Session session, RegisteredApp app) {}

  /**
   * The signed-in session, or empty once the answer was sent: a page sends the browser to sign in
   * and come back to {@code returnTo}, a form post is refused as expired.
   */
  private Optional<Session> signedIn(Context ctx, String returnTo) {
    Optional<Session> session = sessions.signedIn(ctx);
    if (session.isEmpty()) {
      if (isPage(ctx)) {
        BrowserSessions.sendToLogin(ctx, returnTo);
      } else {
        errors.formExpired(ctx);
      }
    }
    return session;
  }

  /**
   * The signed-in user and the app of /developers/apps/{clientId}, when the user owns it; empty
   * once the answer was sent. Ownership is checked before a post's CSRF token, so that someone
   * else's app is a 404 whatever was submitted.
   */
  private Optional<Owned> owned(Context ctx) {
    String clientId = ctx.pathParam("clientId");
    Optional<Session> session = signedIn(ctx, detailPath(clientId));
    if (session.isEmpty()) return Optional.empty();
    Optional<RegisteredApp> app = registration.findOwned(clientId, session.get().userId());
    if (app.isEmpty()) {
      notFound(ctx);
      return Optional.empty();
    }
    if (!isPage(ctx) && !Csrf.verify(session.get(), PURPOSE, ctx.formParam(Csrf.FIELD))) {
      errors.formExpired(ctx);
      return Optional.empty();
    }
    return Optional.of(new Owned(session.get(), app.get()));
  }

  private static boolean isPage(Context ctx) {
    return HandlerType.GET.equals(ctx.method());
  }

  private void renderList(Context ctx, int status, Session session, Views.RegisterForm form, String error,
      String notice) {
    List<Views.DeveloperApp> apps = new ArrayList<>();
    for (RegisteredApp app : registration.ownedBy(session.userId())) apps.add(view(app));
    pages.render(ctx, status, "developers.jte",
        new Views.DeveloperApps(apps, Csrf.token(session, PURPOSE), form, error, notice));
  }

  private void renderDetail(Context ctx, int status, Session session, RegisteredApp app, String redirectUris,
      String error, String notice) {
    String previousUntil = app.isPublic() ? null
        : registration.previousSecretValidUntil(app.clientId()).map(Views::when).orElse(null);
    pages.render(ctx, status, "developers_app.jte", new Views.DeveloperAppDetail(view(app),
        Csrf.token(session, PURPOSE), redirectUris, previousUntil, error, notice));
  }

  private static Views.DeveloperApp view(RegisteredApp app) {
    return new Views.DeveloperApp(app.clientId(), app.name(),
        LogoRoute.urlOf(app), app.monogram(), app.isPublic(),
        app.redirectUris(), app.resourceServer(), app.websiteUrl(), app.privacyUrl(), app.verified());
  }

  /** The uploaded logo, or null when none was chosen (browsers send an empty part without a name). */
  private static byte[] readLogo(UploadedFile file) {
    if (file == null || (file.size() == 0 && (file.filename() == null || file.filename().isEmpty()))) return null;
    if (file.size() > AppRegistration.MAX_LOGO_BYTES)
      throw new ValidationException("The logo must be a PNG or JPEG of at most 100 KB.");
    try (InputStream in = file.content()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One redirect URI per line; blank lines and surrounding spaces are ignored. */
  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String uri = line.strip();
      if (!uri.isEmpty()) out.add(uri);
    }
    return out;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
    }
    return false;
  }

  private static String notice(Context ctx) {
    String key = ctx.queryParam(NOTICE);
    return key == null ? null : NOTICES.get(key);
  }

  private static String detailPath(String clientId) {
    return PATH + "/" + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
  }

  private static String secretPath(String clientId) {
    return detailPath(clientId) + "/secret";
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private void notFound(Context ctx) {
    errors.show(ctx, 404, "App not found", "There is no app with this client ID in your account.");
  }
}
