package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.app.Logo;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import com.monei.connect.server.validation.ValidationException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 2: logos are decoded and re-encoded by Monei as PNG of at most 256×256, aspect kept; nothing
 * of the uploaded bytes is served; an image whose header declares more than 4096×4096 is refused
 * before its pixels are decoded.
 */
@WithTestServer
class LogoRouteTest {
  private static final byte[] HTML = "<html><script>alert(document.domain)</script></html>"
      .getBytes(StandardCharsets.US_ASCII);

  static TestServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  @Test
  void logoWhenPngWithHtmlAppendedThenServedAsMoneisOwnPngWithoutTheHtml() throws Exception {
    byte[] polyglot = concat(image(64, 64, "png", BufferedImage.TYPE_INT_ARGB), HTML);

    HttpResponse<byte[]> served = logo(server.app().logo(polyglot).create().clientId());

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(served.body()).isNotEqualTo(polyglot);
    String text = new String(served.body(), StandardCharsets.ISO_8859_1).toLowerCase();
    assertThat(text).doesNotContain("<html", "<script");
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(served.body()));
    assertThat(decoded.getWidth()).isEqualTo(64);
    assertThat(decoded.getHeight()).isEqualTo(64);
  }

  @Test
  void logoWhenJpeg600x300ThenServedAsPng256x128() throws Exception {
    HttpResponse<byte[]> served = logo(server.app().logo(image(600, 300, "jpg", BufferedImage.TYPE_INT_RGB))
        .create().clientId());

    assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(new String(served.body(), 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(served.body()));
    assertThat(decoded.getWidth()).isEqualTo(256);
    assertThat(decoded.getHeight()).isEqualTo(128);
  }

  @Test
  void logoWhenPng100x50ThenNotEnlarged() throws Exception {
    HttpResponse<byte[]> served = logo(server.app().logo(image(100, 50, "png", BufferedImage.TYPE_INT_ARGB))
        .create().clientId());

    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(served.body()));
    assertThat(decoded.getWidth()).isEqualTo(100);
    assertThat(decoded.getHeight()).isEqualTo(50);
  }

  @Test
  void logoWhenLargestAllowedImageThenServedAt256Wide() throws Exception {
    HttpResponse<byte[]> served = logo(server.app().logo(image(4096, 2048, "png", BufferedImage.TYPE_BYTE_GRAY))
        .create().clientId());

    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(served.body()));
    assertThat(decoded.getWidth()).isEqualTo(256);
    assertThat(decoded.getHeight()).isEqualTo(128);
    // The white ellipse in the middle survives the scaling.
    assertThat(decoded.getRGB(128, 64) & 0xffffff).isGreaterThan(0xc0c0c0);
  }

  @Test
  void registerWhenPngHeaderDeclares5000x5000ThenRefusedWithoutDecoding() {
    byte[] bomb = pngDeclaring(5000, 5000);
    assertThat(bomb.length).isLessThan(100);

    long started = System.nanoTime();
    assertThatThrownBy(() -> server.app().logo(bomb).create()).isInstanceOf(ValidationException.class)
        .hasMessageContaining("too large");
    // Decoding 25 million pixels would take far longer; only the header is read.
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(500);
  }

  @Test
  void registerWhenPngHeaderDeclares4096x4097ThenRefused() {
    assertThatThrownBy(() -> Logo.encode(pngDeclaring(4096, 4097))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void logoWhenStoredBeforeReencodingThenReencodedOnFirstRequestAndStoredSo() throws Exception {
    String clientId = server.app().logo(image(20, 20, "png", BufferedImage.TYPE_INT_ARGB)).create().clientId();
    byte[] legacy = concat(image(300, 600, "png", BufferedImage.TYPE_INT_ARGB), HTML);
    server.services().apps.replaceLogo(clientId, new Logo("image/png", legacy, "legacy-digest"));

    HttpResponse<byte[]> served = logo(clientId);

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(new String(served.body(), StandardCharsets.ISO_8859_1)).doesNotContain("<html");
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(served.body()));
    assertThat(decoded.getWidth()).isEqualTo(128);
    assertThat(decoded.getHeight()).isEqualTo(256);
    Logo stored = server.services().apps.logo(clientId).orElseThrow();
    assertThat(stored.isMoneiEncoded()).isTrue();
    assertThat(stored.data()).isEqualTo(served.body());
  }

  @Test
  void logoWhenStoredBytesNoLongerDecodeThenNotFound() throws Exception {
    String clientId = server.app().logo(image(20, 20, "png", BufferedImage.TYPE_INT_ARGB)).create().clientId();
    server.services().apps.replaceLogo(clientId, new Logo("image/png", HTML, "legacy-digest"));

    assertThat(logo(clientId).statusCode()).isEqualTo(404);
  }

  private HttpResponse<byte[]> logo(String clientId) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/apps/" + clientId + "/logo")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A drawn image of that size, encoded by ImageIO. */
  static byte[] image(int width, int height, String format, int type) {
    BufferedImage img = new BufferedImage(width, height, type);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(0x1f, 0x6f, 0xeb));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.WHITE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, format, out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** A PNG signature, an IHDR declaring {@code width}×{@code height} RGBA (with its CRC) and IEND; no pixels. */
  static byte[] pngDeclaring(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.writeBytes(chunk("IHDR", ihdr.array()));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(name).put(data).putInt((int) crc.getValue())
        .array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
