package com.monei.connect.server.web;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.Logo;
import com.monei.connect.server.app.RegisteredApp;
import io.javalin.http.Context;
import java.util.Optional;

/** GET /apps/{clientId}/logo: logos are served from Monei's origin so the consent page loads nothing foreign. */
public final class LogoRoute {
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
    Optional<Logo> logo = apps.logo(ctx.pathParam("clientId"));
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
}
