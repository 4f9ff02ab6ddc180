package com.monei.connect.server.web;

import io.nayuki.qrcodegen.QrCode;

/** QR codes drawn by Monei as inline SVG, so a TOTP secret never leaves for an image service. */
final class QrCodes {
  /** The quiet zone the QR standard asks for around the symbol, in modules. */
  private static final int BORDER = 4;

  private QrCodes() {}

  /**
   * An SVG of {@code text}, dark modules as one path. Made only of numbers from the QR library, so
   * it may go into the page unescaped.
   */
  static String svg(String text, String label) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int size = qr.size + BORDER * 2;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
        + "\" width=\"232\" height=\"232\" role=\"img\" aria-label=\"" + label + "\" shape-rendering=\"crispEdges\">"
        + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"" + path + "\" fill=\"#000\"/></svg>";
  }
}
