package com.monei.connect.server.http;

import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Before every route: the query string and a form or JSON body must be well-formed UTF-8 (every '%'
 * followed by two hex digits, RFC 3986 §2.1), with no NUL or other control character in a decoded
 * value beyond tab and line breaks. The servlet layer would otherwise decode bad bytes into
 * replacement characters, or fail later with an unsupported charset, deep inside a handler.
 */
public final class RequestEncoding {
  private static final String FORM = "application/x-www-form-urlencoded";

  private RequestEncoding() {}

  public static void check(Context ctx) {
    String query = ctx.queryString();
    if (query != null && !isWellFormed(query.getBytes(StandardCharsets.UTF_8), true))
      throw new MalformedRequestException(400, "The query string is not well-formed UTF-8.");
    String contentType = ctx.contentType();
    if (contentType == null) return;
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    boolean form = mediaType.equals(FORM);
    boolean json = mediaType.equals("application/json") || mediaType.endsWith("+json");
    if (!form && !json && !mediaType.startsWith("multipart/")) return;
    requireKnownCharset(contentType);
    if (!form && !json) return;
    // Javalin keeps the bytes, so the handler reads the same body again.
    byte[] body = ctx.bodyAsBytes();
    if (form ? !isWellFormed(body, true) : !isUtf8(ByteBuffer.wrap(body), false))
      throw new MalformedRequestException(400, "The request body is not well-formed UTF-8.");
  }

  /** A charset parameter naming no charset the server knows would fail when the body is decoded. */
  private static void requireKnownCharset(String contentType) {
    for (String parameter : contentType.split(";")) {
      String[] pair = parameter.strip().split("=", 2);
      if (pair.length != 2 || !pair[0].strip().equalsIgnoreCase("charset")) continue;
      String name = pair[1].strip().replace("\"", "");
      boolean known;
      try {
        known = Charset.isSupported(name);
      } catch (IllegalCharsetNameException e) {
        known = false;
      }
      if (!known) throw new MalformedRequestException(415, "The charset of the request body is not supported.");
    }
  }

  /** Percent-decodes {@code raw} strictly ('+' is a space) and checks the result is clean UTF-8. */
  static boolean isWellFormed(byte[] raw, boolean urlencoded) {
    ByteBuffer decoded = ByteBuffer.allocate(raw.length);
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (urlencoded && b == '%') {
        if (i + 2 >= raw.length) return false;
        int high = Character.digit(raw[i + 1], 16);
        int low = Character.digit(raw[i + 2], 16);
        if (high < 0 || low < 0) return false;
        decoded.put((byte) (high << 4 | low));
        i += 2;
      } else {
        decoded.put(b);
      }
    }
    decoded.flip();
    return isUtf8(decoded, true);
  }

  private static boolean isUtf8(ByteBuffer bytes, boolean refuseControls) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharSequence text;
    try {
      text = decoder.decode(bytes);
    } catch (CharacterCodingException e) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) return false;
      if (refuseControls && c < 0x20 && c != '\t' && c != '\r' && c != '\n') return false;
    }
    return true;
  }
}
