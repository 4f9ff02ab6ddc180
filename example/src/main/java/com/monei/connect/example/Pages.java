package com.monei.connect.example;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/** Renders Your App's precompiled jte templates as pages that are never cached. */
final class Pages {
  /** Where jte-maven-plugin puts the compiled templates (see example/pom.xml). */
  private static final String PACKAGE = "com.monei.connect.example.templates";

  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(), PACKAGE);

  void render(Context ctx, int status, String template, Object view) {
    StringOutput out = new StringOutput();
    engine.render(template, view, out);
    ctx.header("Cache-Control", "no-store");
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }
}
