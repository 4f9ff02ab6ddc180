package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.Http;
import com.monei.connect.server.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * One developer's browser on the portal over real HTTP: its own cookies, never follows redirects,
 * and sends multipart bodies as bytes (the shared {@code Http} only sends text).
 */
final class PortalClient {
  static final String APPS = "/developers/apps";

  private final TestServer server;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();

  private PortalClient(TestServer server) {
    this.server = server;
  }

  static PortalClient anonymous(TestServer server) {
    return new PortalClient(server);
  }

  /** A browser signed in as {@code user} through the login form. */
  static PortalClient signedIn(TestServer server, User user) {
    PortalClient browser = new PortalClient(server);
    HttpResponse<String> login = browser.get("/login");
    String csrf = Jsoup.parse(login.body()).selectFirst("input[name=csrf_token]").val();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf_token", csrf);
    form.put("email", user.email());
    form.put("password", TestServer.PASSWORD);
    form.put("return_to", "/");
    assertThat(browser.postForm("/login", form).statusCode()).isEqualTo(303);
    return browser;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<String> postForm(String path, Map<String, String> form) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(Http.form(form))));
  }

  HttpResponse<String> postMultipart(String path, Multipart body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", body.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
  }

  /** The CSRF token of the registration form on the list page. */
  String csrf() {
    HttpResponse<String> page = get(APPS);
    assertThat(page.statusCode()).isEqualTo(200);
    Element field = Jsoup.parse(page.body()).selectFirst("form[action=/developers/apps] input[name=csrf_token]");
    assertThat(field).isNotNull();
    return field.val();
  }

  private URI uri(String path) {
    return URI.create(server.url() + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A multipart/form-data body written by hand (RFC 7578), as a browser sends the registration form. */
  static final class Multipart {
    private final String boundary = "----MoneiTestBoundary" + Long.toHexString(System.nanoTime());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Multipart field(String name, String value) {
      if (value == null) return this;
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
      return this;
    }

    /** A file part; browsers send one with an empty filename and no bytes when no file was chosen. */
    Multipart file(String name, String filename, String contentType, byte[] data) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
          + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
      out.writeBytes(data);
      write("\r\n");
      return this;
    }

    /** The logo part as a browser sends it when no file was chosen. */
    Multipart emptyLogo() {
      return file("logo", "", "application/octet-stream", new byte[0]);
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    byte[] bytes() {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      copy.writeBytes(out.toByteArray());
      copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return copy.toByteArray();
    }

    private void write(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }
}
