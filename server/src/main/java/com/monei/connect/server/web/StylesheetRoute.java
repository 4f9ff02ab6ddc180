package com.monei.connect.server.web;

import com.monei.connect.server.token.Hashes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * GET /static/monei.css, the pages' one stylesheet, read from the jar once. Javalin's static-file
 * handler served it by mounting the whole jar as a zip file system, indexing and keeping every
 * entry of the jar for one small file (README, Benchmarks).
 */
public final class StylesheetRoute {
  public static final String PATH = "/static/monei.css";

  private final byte[] css;
  private final String etag;

  public StylesheetRoute() {
    try (InputStream in = StylesheetRoute.class.getResourceAsStream(PATH)) {
      if (in == null) throw new IllegalStateException(PATH + " is missing from the classpath");
      css = in.readAllBytes();
      etag = "\"" + Hashes.sha256(new String(css, StandardCharsets.UTF_8)).substring(0, 32) + "\"";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void handle(Context ctx) {
    ctx.header("ETag", etag);
    // Revalidated on every use, as before: a new release changes the page's look at once.
    ctx.header("Cache-Control", "no-cache");
    if (etag.equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType("text/css; charset=utf-8").result(css);
  }
}
