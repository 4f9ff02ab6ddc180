package com.monei.connect.server.account;

import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions, keyed by the hash of the session id so any server process can serve them. A
 * session's {@code expiresAt} is when it ends unless used again: each use may move it later, never
 * past 12 hours after sign-in, so an expired row is one that ended either way.
 */
public interface SessionStore {
  /** A stored session; {@code userId} is empty when anonymous. */
  record Stored(String userId, Instant createdAt, Instant expiresAt) {}

  /** Ends one session and starts another in one transaction (sign-in renews the id). */
  void replace(String oldIdHash, String idHash, String userId, Instant now, Instant expiresAt);

  /** A session that has not yet ended at {@code now}, if any. */
  Optional<Stored> find(String idHash, Instant now);

  /** Moves the session's end to {@code expiresAt}, unless it is already that late (another process used it). */
  void extend(String idHash, Instant expiresAt);

  void delete(String idHash);

  /**
   * Ends every session of the user except the one hashed {@code keepIdHash} (none when null), in
   * the caller's transaction if there is one; returns how many ended.
   */
  int deleteAllOfUser(String userId, String keepIdHash);
}
