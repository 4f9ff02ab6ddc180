package com.monei.connect.server.web;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.Logo;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.validation.ValidationException;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /apps/{clientId}/logo: logos are served from Monei's origin so the consent page loads nothing
 * foreign, and only as the PNG Monei encoded, never the bytes a developer uploaded.
 */
public final class LogoRoute {
  private static final Logger LOG = LoggerFactory.getLogger(LogoRoute.class);
  public static final String PATH = "/apps/{clientId}/logo";

  private final AppStore apps;

  public LogoRoute(AppStore apps) {
    this.apps = apps;
  }

  /** Where the pages load an app's logo from, or null when it has none (they show its monogram). */
  public static String urlOf(RegisteredApp app) {
    return app.hasLogo() ? PATH.replace("{clientId}", app.clientId()) : null;
  }

  public void handle(Context ctx) {
    String clientId = ctx.pathParam("clientId");
    Optional<Logo> logo = apps.logo(clientId).flatMap(stored -> moneiEncoded(clientId, stored));
    if (logo.isEmpty()) {
      ctx.status(404).result("");
      return;
    }
    String etag = "\"" + logo.get().sha256() + "\"";
    ctx.header("ETag", etag);
    ctx.header("Cache-Control", "public, max-age=300");
    if (etag.equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(logo.get().contentType()).result(logo.get().data());
  }

  /**
   * A logo stored before Monei re-encoded uploads is re-encoded on its first request and stored so;
   * one that no longer decodes is not served at all (404).
   */
  private Optional<Logo> moneiEncoded(String clientId, Logo stored) {
    if (stored.isMoneiEncoded()) return Optional.of(stored);
    try {
      Logo encoded = Logo.encode(stored.data());
      apps.replaceLogo(clientId, encoded);
      return Optional.of(encoded);
    } catch (ValidationException e) {
      LOG.warn("stored logo of {} is not a usable image, not served", clientId);
      return Optional.empty();
    }
  }
}
