package com.monei.connect.client;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** application/x-www-form-urlencoded, for token requests, authorization URLs and callback queries. */
final class Form {
  private Form() {}

  /** The parameters in order; null values are left out. */
  static String encode(Map<String, String> params) {
    StringJoiner joiner = new StringJoiner("&");
    params.forEach((k, v) -> {
      if (v != null) joiner.add(encode(k) + "=" + encode(v));
    });
    return joiner.toString();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query string (with or without its leading '?') as each name's values, in order. */
  static Map<String, List<String>> parse(String query) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (query == null) return params;
    String raw = query.startsWith("?") ? query.substring(1) : query;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
