package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /static/monei.css, the stylesheet every page links, revalidated by ETag, and /static/copy.js,
 * the secret page's copy button; nothing else under /static.
 */
@WithTestServer
class StylesheetRouteTest {
  static TestServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @Test
  void stylesheetServedWholeAsCssAndRevalidatedByEtag() throws Exception {
    byte[] expected;
    try (InputStream in = StaticFileRoute.class.getResourceAsStream("/static/monei.css")) {
      expected = in.readAllBytes();
    }

    HttpResponse<byte[]> css = http.send(request("/static/monei.css").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
    assertThat(css.body()).isEqualTo(expected);
    String etag = css.headers().firstValue("ETag").orElseThrow();

    HttpResponse<byte[]> unchanged = http.send(request("/static/monei.css").header("If-None-Match", etag).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();

    HttpResponse<byte[]> stale = http.send(request("/static/monei.css").header("If-None-Match", "\"other\"").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo(expected);
  }

  @Test
  void copyScriptServedWholeAsJavaScriptAllowedByTheContentSecurityPolicy() throws Exception {
    byte[] expected;
    try (InputStream in = StaticFileRoute.class.getResourceAsStream("/static/copy.js")) {
      expected = in.readAllBytes();
    }

    HttpResponse<byte[]> js = http.send(request("/static/copy.js").build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(js.headers().firstValue("ETag")).isPresent();
    assertThat(js.body()).isEqualTo(expected);
    assertThat(js.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'").doesNotContain("unsafe-inline");
  }

  @Test
  void nothingElseIsServedFromStatic() throws Exception {
    for (String path : new String[] {"/static/other.css", "/static/other.js", "/static/",
        "/static/../db/migration/V1__initial_schema.sql"}) {
      HttpResponse<String> response = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(404);
    }
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path));
  }
}
