package com.monei.connect.server.web;

import com.monei.connect.server.token.Hashes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One file under /static, the same path in the jar, read once: the pages' stylesheet and the
 * secret page's copy-button script. Javalin's static-file handler served them by mounting the
 * whole jar as a zip file system, indexing and keeping every entry of the jar for a few small
 * files (README, Benchmarks).
 */
public final class StaticFileRoute {
  public static final String STYLESHEET = "/static/monei.css";
  /** Same-origin, so the pages' Content-Security-Policy can allow scripts from 'self' and nothing inline. */
  public static final String COPY_SCRIPT = "/static/copy.js";

  private final String contentType;
  private final byte[] content;
  private final String etag;

  /** The file at {@code path} on the classpath, served there with {@code contentType}. */
  public StaticFileRoute(String path, String contentType) {
    this.contentType = contentType;
    try (InputStream in = StaticFileRoute.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException(path + " is missing from the classpath");
      content = in.readAllBytes();
      etag = "\"" + Hashes.sha256(new String(content, StandardCharsets.UTF_8)).substring(0, 32) + "\"";
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
    ctx.contentType(contentType).result(content);
  }
}
