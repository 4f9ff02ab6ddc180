package com.monei.connect.server.http;

import java.util.Map;

/**
 * What every JSON error answer is made of: its code, the public description and the HTTP status.
 * The authorization server's errors ({@code OAuthError}) and the API's ({@code ApiError}) are
 * separate types that share this shape, so {@link JsonErrorWriter} writes both.
 */
public interface HttpError {
  String code();

  String description();

  int status();

  /** Members the error's body carries after the shared three, in order (none by default). */
  default Map<String, Object> details() {
    return Map.of();
  }
}
