package com.monei.connect.server.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/** Renders precompiled jte templates as pages that are never cached. */
public final class Pages {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  public void render(Context ctx, int status, String template, Object view) {
    ctx.header("Cache-Control", "no-store");
    ctx.status(status).html(html(template, view));
  }

  /** The page as text, for answers written outside Javalin (Jetty's own errors). */
  String html(String template, Object view) {
    StringOutput out = new StringOutput();
    engine.render(template, view, out);
    return out.toString();
  }
}
