package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link TokenStore} in the app's database, with the tokens encrypted at rest by a
 * {@link TokenEncryption}: one row per user key in the table {@value #TABLE}, which it creates when
 * missing. Everything of a user's {@link StoredTokens} (tokens, expiry, scopes, send limit) is in the
 * encrypted column; the table shows only user keys and key ids. Works on PostgreSQL and SQLite
 * (standard SQL with {@code INSERT … ON CONFLICT}), and is durable as the database's commit is.
 *
 * <pre>{@code
 * byte[] key = Base64.getDecoder().decode(System.getenv("MONEI_TOKEN_KEY"));   // 32 bytes
 * TokenStore store = new JdbcTokenStore(dataSource, TokenEncryption.aesGcm("2030-01", key));
 * }</pre>
 *
 * <p>Database failures surface as {@link IllegalStateException} whose cause is the {@link SQLException};
 * a row that does not decrypt (unknown key id, wrong key, altered row) as {@link IllegalStateException}.
 * Thread-safe, taking a connection from the data source for each call.
 */
public final class JdbcTokenStore implements TokenStore {
  /** The table's name. */
  public static final String TABLE = "monei_connect_tokens";
  private static final int MAX_USER_KEY_LENGTH = 255;
  private static final int FORMAT = 1;

  private final DataSource dataSource;
  private final TokenEncryption encryption;

  /**
   * A store over {@code dataSource}, creating its table when missing.
   *
   * @throws IllegalStateException when the table cannot be created
   */
  public JdbcTokenStore(DataSource dataSource, TokenEncryption encryption) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.encryption = Objects.requireNonNull(encryption, "encryption");
    createTable();
  }

  private void createTable() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (user_key VARCHAR(" + MAX_USER_KEY_LENGTH
          + ") PRIMARY KEY, key_id VARCHAR(64) NOT NULL, sealed TEXT NOT NULL)");
      if (!c.getAutoCommit()) c.commit();
    } catch (SQLException e) {
      throw failure("create the table " + TABLE, e);
    }
  }

  @Override
  public Optional<StoredTokens> load(String userKey) {
    checkUserKey(userKey);
    String keyId;
    String sealed;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT key_id, sealed FROM " + TABLE + " WHERE user_key = ?")) {
      s.setString(1, userKey);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        keyId = rs.getString(1);
        sealed = rs.getString(2);
      }
      if (!c.getAutoCommit()) c.commit();
    } catch (SQLException e) {
      throw failure("load tokens", e);
    }
    byte[] plaintext;
    try {
      plaintext = encryption.open(keyId, userKey, Base64.getDecoder().decode(sealed));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The stored tokens are not valid base64", e);
    }
    return Optional.of(decode(plaintext));
  }

  /** Writes with the current key, which also moves a row written with a previous key onto it. */
  @Override
  public void save(String userKey, StoredTokens tokens) {
    checkUserKey(userKey);
    Objects.requireNonNull(tokens, "tokens");
    String sealed = Base64.getEncoder().encodeToString(encryption.seal(userKey, encode(tokens)));
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " (user_key, key_id, sealed) VALUES (?, ?, ?)"
            + " ON CONFLICT (user_key) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed")) {
      s.setString(1, userKey);
      s.setString(2, encryption.currentKeyId());
      s.setString(3, sealed);
      s.executeUpdate();
      if (!c.getAutoCommit()) c.commit();
    } catch (SQLException e) {
      throw failure("save tokens", e);
    }
  }

  @Override
  public void delete(String userKey) {
    checkUserKey(userKey);
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("DELETE FROM " + TABLE + " WHERE user_key = ?")) {
      s.setString(1, userKey);
      s.executeUpdate();
      if (!c.getAutoCommit()) c.commit();
    } catch (SQLException e) {
      throw failure("delete tokens", e);
    }
  }

  private static void checkUserKey(String userKey) {
    Objects.requireNonNull(userKey, "userKey");
    if (userKey.length() > MAX_USER_KEY_LENGTH)
      throw new IllegalArgumentException("A user key is at most " + MAX_USER_KEY_LENGTH + " characters");
  }

  private static IllegalStateException failure(String what, SQLException e) {
    // The message carries the driver's words only: no statement parameters, so no user keys or tokens.
    return new IllegalStateException("JdbcTokenStore could not " + what + ": " + e.getMessage(), e);
  }

  static byte[] encode(StoredTokens tokens) {
    ObjectNode node = Json.newObject();
    node.put("v", FORMAT);
    node.put("access_token", tokens.accessToken());
    node.put("refresh_token", tokens.refreshToken());
    node.put("expires_at", tokens.expiresAt().toString());
    node.put("issued_at", tokens.issuedAt() == null ? null : tokens.issuedAt().toString());
    ArrayNode scopes = node.putArray("scopes");
    tokens.scopes().forEach(scopes::add);
    SendLimit limit = tokens.sendLimit();
    if (limit != null) {
      ObjectNode l = node.putObject("send_limit");
      l.put("amount", limit.amount().toPlainString());
      l.put("currency", limit.currency());
      l.put("window_hours", limit.windowHours());
      l.put("confirm_above", limit.confirmAbove().map(a -> a.toPlainString()).orElse(null));
    }
    return Json.write(node).getBytes(StandardCharsets.UTF_8);
  }

  static StoredTokens decode(byte[] plaintext) {
    try {
      JsonNode node = Json.object(new String(plaintext, StandardCharsets.UTF_8));
      Set<String> scopes = new LinkedHashSet<>(Json.strings(node, "scopes"));
      SendLimit limit = null;
      JsonNode l = node.get("send_limit");
      if (l != null && l.isObject()) {
        String above = Json.optionalText(l, "confirm_above");
        limit = SendLimit.of(Json.decimal("amount", Json.text(l, "amount")), Json.text(l, "currency"),
            l.path("window_hours").asInt(24), above == null ? null : Json.decimal("confirm_above", above));
      }
      Instant expiresAt = Json.instant(node, "expires_at");
      if (expiresAt == null) throw new Json.MalformedJson("missing \"expires_at\"");
      return new StoredTokens(Json.text(node, "access_token"), Json.optionalText(node, "refresh_token"), expiresAt,
          scopes, limit, Json.instant(node, "issued_at"));
    } catch (Json.MalformedJson | IllegalArgumentException e) {
      throw new IllegalStateException("The stored tokens decrypt but do not read: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "JdbcTokenStore[" + TABLE + ", " + encryption + "]";
  }
}
