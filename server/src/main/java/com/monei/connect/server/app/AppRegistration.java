package com.monei.connect.server.app;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Registers apps: validates what the developer gave, generates the client id and secret. */
public final class AppRegistration {
  public static final int MAX_LOGO_BYTES = 100 * 1024;
  public static final int MAX_NAME_LENGTH = 80;

  private final AppStore apps;
  private final AuditLog audit;
  private final Clock clock;

  public AppRegistration(AppStore apps, AuditLog audit, Clock clock) {
    this.apps = apps;
    this.audit = audit;
    this.clock = clock;
  }

  /** What registration hands back; the secret is shown once and never stored in clear. */
  public record Registered(RegisteredApp app, String clientSecret) {}

  public Registered register(String name, List<String> redirectUris, byte[] logo, boolean isPublic,
      String ownerUserId) {
    String cleanName = name == null ? "" : name.strip();
    if (cleanName.isEmpty() || cleanName.length() > MAX_NAME_LENGTH)
      throw new IllegalArgumentException("The app name must be 1-" + MAX_NAME_LENGTH + " characters.");
    if (redirectUris == null || redirectUris.isEmpty())
      throw new IllegalArgumentException("At least one redirect URI is required.");
    List<String> uris = new ArrayList<>();
    for (String uri : redirectUris) {
      validateRedirectUri(uri);
      if (!uris.contains(uri)) uris.add(uri);
    }
    Logo storedLogo = logo == null ? null : validateLogo(logo);
    String clientId = TokenFormat.CLIENT_ID + TokenFormat.randomBase62(24);
    String secret = isPublic ? null : TokenFormat.generate(TokenFormat.CLIENT_SECRET);
    RegisteredApp app = new RegisteredApp(clientId, cleanName, isPublic, List.copyOf(uris), storedLogo != null,
        ownerUserId);
    apps.create(app, secret == null ? null : Hashes.sha256(secret), storedLogo, clock.instant());
    audit.record(AuditLog.APP_CREATED, ownerUserId, clientId, null, isPublic ? "public" : "confidential");
    return new Registered(app, secret);
  }

  /**
   * Absolute https URIs, or http on localhost/127.0.0.1 for development; no fragment (RFC 6749 §3.1.2).
   */
  public static void validateRedirectUri(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("Redirect URI is not a valid URI: " + uri);
    }
    if (!parsed.isAbsolute() || parsed.getHost() == null)
      throw new IllegalArgumentException("Redirect URI must be absolute: " + uri);
    if (parsed.getRawFragment() != null)
      throw new IllegalArgumentException("Redirect URI must not contain a fragment: " + uri);
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    String host = parsed.getHost().toLowerCase(Locale.ROOT);
    boolean local = host.equals("localhost") || host.equals("127.0.0.1");
    if (!scheme.equals("https") && !(scheme.equals("http") && local))
      throw new IllegalArgumentException("Redirect URI must use https (http only for localhost): " + uri);
    if (parsed.getRawUserInfo() != null)
      throw new IllegalArgumentException("Redirect URI must not contain user info: " + uri);
  }

  /** PNG or JPEG of at most 100 KB, proven by decoding it rather than trusting a name or header. */
  public static Logo validateLogo(byte[] data) {
    if (data.length == 0 || data.length > MAX_LOGO_BYTES)
      throw new IllegalArgumentException("The logo must be a PNG or JPEG of at most 100 KB.");
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) throw new IllegalArgumentException("The logo must be a PNG or JPEG image.");
      ImageReader reader = readers.next();
      String format = reader.getFormatName().toLowerCase(Locale.ROOT);
      String contentType = switch (format) {
        case "png" -> "image/png";
        case "jpeg", "jpg" -> "image/jpeg";
        default -> throw new IllegalArgumentException("The logo must be a PNG or JPEG image.");
      };
      reader.setInput(in);
      if (reader.getWidth(0) > 4096 || reader.getHeight(0) > 4096)
        throw new IllegalArgumentException("The logo is too large.");
      reader.read(0);
      reader.dispose();
      return new Logo(contentType, data.clone(), Hashes.sha256(java.util.Base64.getEncoder().encodeToString(data)));
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) throw iae;
      throw new IllegalArgumentException("The logo could not be read as a PNG or JPEG image.");
    }
  }
}
