package com.monei.connect.server.storage;

import com.monei.connect.server.token.ServerKeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

public final class JdbcServerKeyStore implements ServerKeyStore {
  private static final String INSERT = """
      INSERT INTO server_keys (name, material, created_at) VALUES (?, ?, ?)
      ON CONFLICT (name) DO NOTHING""";
  private static final String FIND = "SELECT material FROM server_keys WHERE name = ?";

  private final Database db;
  private final Clock clock;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public JdbcServerKeyStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public byte[] key(String name) {
    return cache.computeIfAbsent(name, this::loadOrCreate).clone();
  }

  private byte[] loadOrCreate(String name) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    // Whoever inserts first wins; everyone then reads the one stored key.
    String material = db.inTransaction(() -> {
      db.update(INSERT, name, Base64.getEncoder().encodeToString(fresh), clock.millis());
      return db.findOne(FIND, row -> row.getString("material"), name).orElseThrow();
    });
    return Base64.getDecoder().decode(material);
  }
}
