package com.monei.connect.server.support;

import java.io.BufferedInputStream;
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

  /**
   * Raw bytes of the head (request line and headers, no final blank line), then the body. A server
   * may answer an oversized request (413, 414, 431) and close before reading all of it; when that
   * close resets the connection before its answer could be read, the request is sent again.
   */
  public Response send(byte[] head, byte[] body) {
    Response response = null;
    for (int attempt = 0; attempt < 3 && (response == null || response.status() == 0); attempt++)
      response = sendOnce(head, body);
    return response;
  }

  private Response sendOnce(byte[] head, byte[] body) {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head);
        out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) out.write(body);
        out.flush();
      } catch (SocketException e) {
        // Answered and closed early: the answer may still be there to read.
      }
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The final response (interim 1xx ones skipped), its body read by Content-Length, to the last chunk,
   * or to the end of the stream: a server may keep the connection open after some answers (CONNECT).
   */
  private static Response read(InputStream socket) throws IOException {
    InputStream in = new BufferedInputStream(socket);
    while (true) {
      byte[] head;
      try {
        head = readHead(in);
      } catch (SocketException e) {
        return new Response(0, List.of(), new byte[0]);
      }
      if (head == null) return new Response(0, List.of(), new byte[0]);
      String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
      }
      if (status >= 100 && status < 200) continue;
      Response headOnly = new Response(status, headers, new byte[0]);
      Optional<String> length = headOnly.header("Content-Length");
      boolean chunked = headOnly.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
          .orElse(false);
      byte[] body;
      if (length.isPresent()) body = in.readNBytes(Integer.parseInt(length.get()));
      else if (chunked) body = readChunked(in);
      else body = readToEnd(in);
      return new Response(status, headers, body);
    }
  }

  /** The status line and headers, without the blank line; null when the stream ends first. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        byte[] all = head.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
      }
    }
    return null;
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      if (sizeLine == null) return out.toByteArray();
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        readLine(in);
        return out.toByteArray();
      }
      out.writeBytes(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') if (b != '\r') line.write(b);
    return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    try {
      return in.readAllBytes();
    } catch (SocketException e) {
      return new byte[0];
    }
  }
}
