package com.monei.connect.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.validation.ValidationException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 2: redirect URIs are https, or http only for localhost/127.0.0.1; logos are PNG or JPEG of at most 100 KB. */
class AppRegistrationTest {
  private static final int LIMIT = 100 * 1024;

  @ParameterizedTest
  @ValueSource(strings = {
      "https://app.example/cb",
      "http://localhost:3000/cb",
      "http://127.0.0.1/cb",
      "http://localhost/monei/callback",
      "http://127.0.0.1:8080/cb?x=1",
      "https://app.example:8443/oauth/callback?tenant=a",
      "https://app.example"})
  void validateRedirectUriWhenHttpsOrLocalHttpThenAccepted(String uri) {
    assertThatCode(() -> AppRegistration.validateRedirectUri(uri)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("badRedirectUris")
  void validateRedirectUriWhenNotAllowedThenIllegalArgument(String uri) {
    assertThatThrownBy(() -> AppRegistration.validateRedirectUri(uri)).isInstanceOf(ValidationException.class);
  }

  static Stream<String> badRedirectUris() {
    return Stream.of(
        "http://example.com/cb",
        "HTTP://example.com/cb",
        "http://localhost.evil.example/cb",
        "http://127.0.0.1.nip.io/cb",
        "http://evil.example/localhost",
        "ftp://x",
        "ftp://x/cb",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "myapp://callback",
        "/cb",
        "cb",
        "//app.example/cb",
        "https://x/cb#frag",
        "https://x/cb#",
        "https://user:pw@x/cb",
        "https://user@x/cb",
        "http://user:pw@localhost/cb",
        "https:///cb",
        "https://",
        "not a uri",
        "https://exa mple.com/cb",
        "http://[::1",
        "::::",
        "",
        null);
  }

  @Test
  void validateLogoWhenPngThenAcceptedAsImagePng() {
    byte[] png = image("png", BufferedImage.TYPE_INT_ARGB);
    Logo logo = AppRegistration.validateLogo(png);
    assertThat(logo.contentType()).isEqualTo("image/png");
    assertThat(logo.isMoneiEncoded()).isTrue();
  }

  @Test
  void validateLogoWhenJpegThenAcceptedAndReencodedAsPng() {
    byte[] jpeg = image("jpg", BufferedImage.TYPE_INT_RGB);
    Logo logo = AppRegistration.validateLogo(jpeg);
    assertThat(logo.contentType()).isEqualTo("image/png");
    assertThat(logo.isMoneiEncoded()).isTrue();
  }

  @Test
  void validateLogoWhenPngOfExactly100KbThenAccepted() {
    byte[] png = padded(image("png", BufferedImage.TYPE_INT_ARGB), LIMIT);
    assertThat(AppRegistration.validateLogo(png).contentType()).isEqualTo("image/png");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLogos")
  void validateLogoWhenNotSmallPngOrJpegThenIllegalArgument(String description, byte[] data) {
    assertThatThrownBy(() -> AppRegistration.validateLogo(data)).as(description)
        .isInstanceOf(ValidationException.class);
  }

  static Stream<Arguments> badLogos() {
    byte[] png = image("png", BufferedImage.TYPE_INT_ARGB);
    return Stream.of(
        Arguments.of("GIF", image("gif", BufferedImage.TYPE_INT_RGB)),
        Arguments.of("BMP", image("bmp", BufferedImage.TYPE_INT_RGB)),
        Arguments.of("text", "this is not an image, only text\n".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("HTML named like an image", "<svg onload=alert(1)></svg>".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("empty", new byte[0]),
        Arguments.of("PNG signature only", Arrays.copyOf(png, 8)),
        Arguments.of("truncated PNG", Arrays.copyOf(png, png.length / 2)),
        Arguments.of("valid PNG padded to 100 KB + 1 byte", padded(png, LIMIT + 1)),
        Arguments.of("zeros, 100 KB + 1 byte", new byte[LIMIT + 1]));
  }

  /** A small drawn image encoded by ImageIO in {@code format}. */
  static byte[] image(String format, int type) {
    BufferedImage img = new BufferedImage(32, 32, type);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(0x1f, 0x6f, 0xeb));
    g.fillRect(0, 0, 32, 32);
    g.setColor(Color.WHITE);
    g.fillOval(8, 8, 16, 16);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no ImageIO writer for " + format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The image followed by zero bytes up to {@code size}: still decodes, only its size changes. */
  static byte[] padded(byte[] image, int size) {
    assertThat(image.length).isLessThan(size);
    return Arrays.copyOf(image, size);
  }
}
