package com.monei.connect.server.web;

import java.util.List;

/** What the passkeys section of /account/security shows (SPEC 7). */
public final class PasskeyViews {
  private PasskeyViews() {}

  public record Row(String id, String name, String addedAt, String lastUsedAt) {}

  /** {@code notice}: a sentence on what was just done, or null. */
  public record Section(List<Row> passkeys, String csrfToken, String notice) {}
}
