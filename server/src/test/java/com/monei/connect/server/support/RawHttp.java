package com.monei.connect.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 written byte for byte over a socket, for requests java.net.http refuses to send: invalid
 * percent-encoding in the target, control bytes in headers, huge headers, bodies that contradict
 * their headers. One request per connection ({@code Connection: close}).
 */
public final class RawHttp {
  private final String host;
  private final int port;

  public RawHttp(TestServer server) {
    this("localhost", server.port());
  }

  public RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** A response as read off the wire; {@code status} is 0 when the server closed without answering. */
  public record Response(int status, List<String[]> headers, byte[] body) {
    public Optional<String> header(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      String text = text();
      return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
  }

  /** Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}. */
  public Response send(String head, byte[] body) {
    return send(head.getBytes(StandardCharsets.ISO_8859_1), body);
  }

  /**
   * A request with the usual headers added: {@code Host}, {@code Connection: close} and, with a
   * body, {@code Content-Length}. {@code headers} are complete lines.
   */
  public Response request(String method, String target, byte[] body, String... headers) {
    StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nConnection: close");
    for (String header : headers) head.append("\r\n").append(header);
    if (body != null) head.append("\r\nContent-Length: ").append(body.length);
    return send(head.toString(), body);
  }

  public Response request(String method, String target, String body, String... headers) {
    return request(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** Raw bytes of the head (request line and headers, no final blank line), then the body. */
  public Response send(byte[] head, byte[] body) {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      try {
        if (body != null) out.write(body);
        out.flush();
      } catch (SocketException e) {
        // The server may answer (413, 400) and close before reading all of an oversized body.
      }
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response read(InputStream in) throws IOException {
    byte[] all;
    try {
      all = in.readAllBytes();
    } catch (SocketException e) {
      all = new byte[0];
    }
    int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) return new Response(0, List.of(), all);
    String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
    }
    byte[] body = Arrays.copyOfRange(all, end + 4, all.length);
    boolean chunked = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Transfer-Encoding")
        && h[1].toLowerCase(Locale.ROOT).contains("chunked"));
    return new Response(status, headers, chunked ? dechunk(body) : body);
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < body.length) {
      int lineEnd = indexOf(body, pos, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (lineEnd < 0) break;
      String sizeLine = new String(body, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int size = Integer.parseInt(sizeLine, 16);
      if (size == 0) break;
      out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
      pos = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] needle) {
    return indexOf(data, 0, needle);
  }

  private static int indexOf(byte[] data, int from, byte[] needle) {
    outer:
    for (int i = from; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (data[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
