package com.monei.connect.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run printed with --latency: requests, seconds, p50 and p99, non-2xx answers and
 * socket errors. Read by bench/run's wrk rows and by the outside comparison alike.
 */
public record WrkReport(long requests, double seconds, double p50Ms, double p99Ms, long non2xx, long socketErrors,
    String text) {
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
      Pattern.MULTILINE);
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET = Pattern.compile(
      "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  public static WrkReport parse(String report) throws IOException {
    Matcher requests = REQUESTS.matcher(report);
    if (!requests.find()) throw new IOException("wrk printed no request count:\n" + report);
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher p = PERCENTILE.matcher(report);
    while (p.find()) {
      double ms = seconds(p.group(2), p.group(3)) * 1000;
      if (p.group(1).equals("50")) p50 = ms;
      else p99 = ms;
    }
    long non2xx = 0;
    Matcher n = NON_2XX.matcher(report);
    if (n.find()) non2xx = Long.parseLong(n.group(1));
    long socket = 0;
    Matcher s = SOCKET.matcher(report);
    if (s.find()) for (int g = 1; g <= 4; g++) socket += Long.parseLong(s.group(g));
    return new WrkReport(Long.parseLong(requests.group(1)), seconds(requests.group(2), requests.group(3)), p50, p99,
        non2xx, socket, report);
  }

  /** Every failed request: non-2xx answers (which wrk counts among its requests) and socket errors. */
  public long errors() {
    return non2xx + socketErrors;
  }

  public double perSecond() {
    return seconds > 0 ? requests / seconds : 0;
  }

  /** Successful answers per second. */
  public double okPerSecond() {
    return seconds > 0 ? (requests - non2xx) / seconds : 0;
  }

  private static double seconds(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "us" -> v / 1e6;
      case "ms" -> v / 1e3;
      case "m" -> v * 60;
      default -> v;
    };
  }
}
