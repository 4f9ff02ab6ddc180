package com.monei.connect.server.storage;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.Logo;
import com.monei.connect.server.app.RegisteredApp;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

public final class JdbcAppStore implements AppStore {
  private static final String APP_COLUMNS = """
      SELECT a.client_id, a.name, a.is_public, a.owner_user_id, a.resource_server, a.website_url, a.privacy_url,
             a.verified,
             EXISTS (SELECT 1 FROM app_logos l WHERE l.client_id = a.client_id) AS has_logo
      FROM apps a""";
  /** The app with its redirect URIs, one row per URI (one row with a null uri when it has none). */
  private static final String FIND = """
      SELECT a.client_id, a.name, a.is_public, a.owner_user_id, a.resource_server, a.website_url, a.privacy_url,
             a.verified,
             EXISTS (SELECT 1 FROM app_logos l WHERE l.client_id = a.client_id) AS has_logo,
             u.uri
      FROM apps a LEFT JOIN app_redirect_uris u ON u.client_id = a.client_id
      WHERE a.client_id = ? ORDER BY u.position""";
  /** As FIND, with the secrets valid at a time: one row per redirect URI and secret. */
  private static final String FIND_WITH_SECRETS = """
      SELECT a.client_id, a.name, a.is_public, a.owner_user_id, a.resource_server, a.website_url, a.privacy_url,
             a.verified,
             EXISTS (SELECT 1 FROM app_logos l WHERE l.client_id = a.client_id) AS has_logo,
             u.uri, u.position, s.secret_hash
      FROM apps a LEFT JOIN app_redirect_uris u ON u.client_id = a.client_id
                  LEFT JOIN app_secrets s ON s.client_id = a.client_id AND (s.expires_at IS NULL OR s.expires_at > ?)
      WHERE a.client_id = ? ORDER BY u.position""";
  private static final String OWNED_BY = APP_COLUMNS + " WHERE a.owner_user_id = ? ORDER BY a.created_at, a.client_id";
  private static final String REDIRECT_URIS_OWNED_BY = """
      SELECT u.client_id, u.uri FROM app_redirect_uris u JOIN apps a ON a.client_id = u.client_id
      WHERE a.owner_user_id = ? ORDER BY u.client_id, u.position""";
  private static final String INSERT_APP = """
      INSERT INTO apps (client_id, name, owner_user_id, is_public, resource_server, website_url, privacy_url,
                        created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String MARK_VERIFIED = "UPDATE apps SET verified = ? WHERE client_id = ?";
  private static final String INSERT_URI =
      "INSERT INTO app_redirect_uris (client_id, uri, position) VALUES (?, ?, ?)";
  private static final String DELETE_URIS = "DELETE FROM app_redirect_uris WHERE client_id = ?";
  private static final String INSERT_SECRET =
      "INSERT INTO app_secrets (client_id, secret_hash, created_at) VALUES (?, ?, ?)";
  private static final String EXPIRE_CURRENT_SECRETS =
      "UPDATE app_secrets SET expires_at = ? WHERE client_id = ? AND expires_at IS NULL";
  private static final String DELETE_EXPIRED_SECRETS =
      "DELETE FROM app_secrets WHERE client_id = ? AND expires_at IS NOT NULL AND expires_at <= ?";
  private static final String DELETE_PREVIOUS_SECRETS =
      "DELETE FROM app_secrets WHERE client_id = ? AND expires_at IS NOT NULL";
  private static final String PREVIOUS_SECRET_EXPIRY = """
      SELECT MAX(expires_at) AS expires_at FROM app_secrets
      WHERE client_id = ? AND expires_at IS NOT NULL AND expires_at > ?""";
  private static final String INSERT_LOGO = """
      INSERT INTO app_logos (client_id, content_type, data, sha256)
      VALUES (?, ?, ?, ?)""";
  private static final String UPDATE_LOGO =
      "UPDATE app_logos SET content_type = ?, data = ?, sha256 = ? WHERE client_id = ?";
  private static final String LOGO = "SELECT content_type, data, sha256 FROM app_logos WHERE client_id = ?";
  private static final String DELETE_APP = "DELETE FROM apps WHERE client_id = ?";
  // Not a foreign key (sends keep their history); the stored replies are of no use without the app.
  private static final String DELETE_IDEMPOTENCY = "DELETE FROM idempotency_keys WHERE client_id = ?";

  /** An app without its redirect URIs, which come from their own table. */
  private static RegisteredApp app(ResultRow row) throws SQLException {
    return new RegisteredApp(row.getString("client_id"), row.getString("name"), row.getBoolean("is_public"), List.of(),
        row.getBoolean("has_logo"), row.getString("owner_user_id"), row.getBoolean("resource_server"),
        row.getString("website_url"), row.getString("privacy_url"), row.getBoolean("verified"));
  }

  private static Logo logo(ResultRow row) throws SQLException {
    return new Logo(row.getString("content_type"), row.getBytes("data"), row.getString("sha256"));
  }

  private final Database db;

  public JdbcAppStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<RegisteredApp> find(String clientId) {
    // One query: every token request and authorization request looks its app up.
    return db.read(FIND, rows -> {
      if (!rows.next()) return Optional.<RegisteredApp>empty();
      RegisteredApp app = app(rows);
      List<String> uris = new ArrayList<>();
      do {
        String uri = rows.getString("uri");
        if (uri != null) uris.add(uri);
      } while (rows.next());
      return Optional.of(withRedirectUris(app, uris));
    }, clientId);
  }

  @Override
  public List<RegisteredApp> ownedBy(String userId) {
    List<RegisteredApp> apps = db.list(OWNED_BY, JdbcAppStore::app, userId);
    Map<String, List<String>> uris = db.read(REDIRECT_URIS_OWNED_BY, row -> {
      Map<String, List<String>> byApp = new LinkedHashMap<>();
      while (row.next()) byApp.computeIfAbsent(row.getString("client_id"), k -> new ArrayList<>())
          .add(row.getString("uri"));
      return byApp;
    }, userId);
    List<RegisteredApp> out = new ArrayList<>();
    for (RegisteredApp app : apps) out.add(withRedirectUris(app, uris.getOrDefault(app.clientId(), List.of())));
    return out;
  }

  @Override
  public void create(RegisteredApp app, String secretHash, Logo logo, Instant now) {
    db.inTransaction(() -> {
      db.update(INSERT_APP, app.clientId(), app.name(), app.ownerUserId(), app.isPublic(), app.resourceServer(),
          app.websiteUrl(), app.privacyUrl(), now.toEpochMilli());
      insertRedirectUris(app.clientId(), app.redirectUris());
      if (secretHash != null) db.update(INSERT_SECRET, app.clientId(), secretHash, now.toEpochMilli());
      if (logo != null) db.update(INSERT_LOGO, app.clientId(), logo.contentType(), logo.data(), logo.sha256());
    });
  }

  @Override
  public void replaceRedirectUris(String clientId, List<String> uris) {
    db.inTransaction(() -> {
      db.update(DELETE_URIS, clientId);
      insertRedirectUris(clientId, uris);
    });
  }

  @Override
  public void rotateSecret(String clientId, String newSecretHash, Instant now, Instant previousExpiresAt) {
    db.inTransaction(() -> {
      db.update(DELETE_EXPIRED_SECRETS, clientId, now.toEpochMilli());
      db.update(EXPIRE_CURRENT_SECRETS, previousExpiresAt.toEpochMilli(), clientId);
      db.update(INSERT_SECRET, clientId, newSecretHash, now.toEpochMilli());
    });
  }

  @Override
  public int deletePreviousSecrets(String clientId) {
    return db.update(DELETE_PREVIOUS_SECRETS, clientId);
  }

  @Override
  public Optional<Instant> previousSecretExpiry(String clientId, Instant now) {
    // MAX over no rows is one row holding NULL.
    return db.read(PREVIOUS_SECRET_EXPIRY, row -> {
      if (!row.next()) return Optional.<Instant>empty();
      long expiresAt = row.getLong("expires_at");
      return row.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(expiresAt));
    }, clientId, now.toEpochMilli());
  }

  @Override
  public Optional<WithSecrets> findWithSecrets(String clientId, Instant now) {
    return db.read(FIND_WITH_SECRETS, rows -> {
      if (!rows.next()) return Optional.<WithSecrets>empty();
      RegisteredApp app = app(rows);
      // The join repeats each URI once per secret and each secret once per URI.
      Map<Integer, String> uris = new TreeMap<>();
      Set<String> secrets = new LinkedHashSet<>();
      do {
        String uri = rows.getString("uri");
        if (uri != null) uris.put(rows.getInt("position"), uri);
        String secret = rows.getString("secret_hash");
        if (secret != null) secrets.add(secret);
      } while (rows.next());
      return Optional.of(new WithSecrets(withRedirectUris(app, new ArrayList<>(uris.values())), List.copyOf(secrets)));
    }, now.toEpochMilli(), clientId);
  }

  @Override
  public Optional<Logo> logo(String clientId) {
    return db.findOne(LOGO, JdbcAppStore::logo, clientId);
  }

  @Override
  public void replaceLogo(String clientId, Logo logo) {
    db.update(UPDATE_LOGO, logo.contentType(), logo.data(), logo.sha256(), clientId);
  }

  @Override
  public boolean delete(String clientId) {
    return db.inTransaction(() -> {
      db.update(DELETE_IDEMPOTENCY, clientId);
      return db.update(DELETE_APP, clientId) > 0;
    });
  }

  @Override
  public boolean markVerified(String clientId) {
    return db.update(MARK_VERIFIED, true, clientId) > 0;
  }

  private void insertRedirectUris(String clientId, List<String> uris) {
    int position = 0;
    for (String uri : uris) db.update(INSERT_URI, clientId, uri, position++);
  }

  private static RegisteredApp withRedirectUris(RegisteredApp app, List<String> uris) {
    return new RegisteredApp(app.clientId(), app.name(), app.isPublic(), List.copyOf(uris), app.hasLogo(),
        app.ownerUserId(), app.resourceServer(), app.websiteUrl(), app.privacyUrl(), app.verified());
  }
}
