package com.monei.connect.server.app;

import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.validation.ValidationException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An app's logo as Monei stores and serves it, from Monei's own origin: always a PNG that Monei
 * drew itself from the decoded upload, so nothing of the uploaded bytes (a polyglot's HTML, its
 * metadata) is ever served. {@code sha256} is a fingerprint of the stored PNG that only
 * {@link #encode} writes, which tells a Monei-encoded logo from one stored before logos were re-encoded.
 */
public record Logo(String contentType, byte[] data, String sha256) {
  public static final String CONTENT_TYPE = "image/png";
  public static final int MAX_UPLOAD_BYTES = 100 * 1024;
  /** Width and height of what Monei serves, at most. */
  public static final int MAX_SIDE = 256;
  /** An upload whose header declares more is refused before its pixels are decoded, which takes time in proportion. */
  public static final int MAX_DECLARED_SIDE = 4096;

  private static final Set<String> FORMATS = Set.of("png", "jpeg");
  private static final String FINGERPRINT_DOMAIN = "monei-logo-png:";
  private static final String NOT_AN_IMAGE = "The logo could not be read as a PNG or JPEG image.";

  static {
    // Decoding works from memory; ImageIO's default would spool every stream through a temporary file.
    ImageIO.setUseCache(false);
  }

  /**
   * Decodes an upload (PNG or JPEG of at most 100 KB), refusing one whose header declares more than
   * {@value #MAX_DECLARED_SIDE} pixels a side before reading its pixels, and re-encodes it as a PNG of
   * at most {@value #MAX_SIDE}×{@value #MAX_SIDE}, aspect kept, never enlarged.
   */
  public static Logo encode(byte[] upload) {
    if (upload == null || upload.length == 0 || upload.length > MAX_UPLOAD_BYTES)
      throw new ValidationException("The logo must be a PNG or JPEG of at most 100 KB.");
    BufferedImage decoded = decode(upload);
    BufferedImage scaled = scaleToFit(decoded, MAX_SIDE);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(scaled, "png", png)) throw new IllegalStateException("no PNG writer");
    } catch (IOException e) {
      throw new IllegalStateException("PNG encoding failed in memory", e);
    }
    byte[] data = png.toByteArray();
    return new Logo(CONTENT_TYPE, data, fingerprint(data));
  }

  /** Whether Monei encoded these bytes; a logo stored before re-encoding existed is not. */
  public boolean isMoneiEncoded() {
    return CONTENT_TYPE.equals(contentType) && sha256 != null && Hashes.constantTimeEquals(sha256, fingerprint(data));
  }

  private static String fingerprint(byte[] png) {
    return Hashes.sha256(FINGERPRINT_DOMAIN + Base64.getEncoder().encodeToString(png));
  }

  private static BufferedImage decode(byte[] upload) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) throw new ValidationException("The logo must be a PNG or JPEG image.");
      ImageReader reader = readers.next();
      try {
        if (!FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT)))
          throw new ValidationException("The logo must be a PNG or JPEG image.");
        reader.setInput(in, true, true);
        // The header alone: a few bytes can declare an image that would take gigabytes to decode.
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width > MAX_DECLARED_SIDE || height > MAX_DECLARED_SIDE)
          throw new ValidationException("The logo is too large: at most " + MAX_DECLARED_SIDE + "×"
              + MAX_DECLARED_SIDE + " pixels.");
        if (width < 1 || height < 1) throw new ValidationException(NOT_AN_IMAGE);
        // Every n-th pixel of a large image, so that what is held in memory stays near twice the served
        // size (at most 4 MiB) however large the header says it is; scaling down from there keeps the quality.
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, Math.max(width, height) / (2 * MAX_SIDE));
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (ValidationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Truncated, corrupt or unsupported (CMYK JPEG, say): the decoders' own exceptions say no more than this.
      throw new ValidationException(NOT_AN_IMAGE);
    }
  }

  /**
   * Fits the image in {@code side}×{@code side}: halves it while that stays above the target, then
   * one bicubic step, which keeps a large logo's thin lines instead of dropping pixels. Always a fresh
   * image in a plain RGB or ARGB layout, so what is encoded is only pixels.
   */
  static BufferedImage scaleToFit(BufferedImage source, int side) {
    int width = source.getWidth();
    int height = source.getHeight();
    double scale = Math.min(1.0, Math.min((double) side / width, (double) side / height));
    int targetWidth = Math.max(1, (int) Math.round(width * scale));
    int targetHeight = Math.max(1, (int) Math.round(height * scale));
    int type = source.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    BufferedImage current = source;
    int w = width;
    int h = height;
    while (w / 2 >= targetWidth && h / 2 >= targetHeight) {
      w /= 2;
      h /= 2;
      current = draw(current, w, h, type);
    }
    if (current == source || w != targetWidth || h != targetHeight)
      current = draw(current, targetWidth, targetHeight, type);
    return current;
  }

  private static BufferedImage draw(BufferedImage source, int width, int height, int type) {
    BufferedImage target = new BufferedImage(width, height, type);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return target;
  }
}
