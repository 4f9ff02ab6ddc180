package com.monei.connect.server.storage;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.Logo;
import com.monei.connect.server.app.RegisteredApp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class JdbcAppStore implements AppStore {
  private static final String FIND = """
      SELECT a.client_id, a.name, a.is_public, a.owner_user_id,
             EXISTS (SELECT 1 FROM app_logos l WHERE l.client_id = a.client_id) AS has_logo
      FROM apps a WHERE a.client_id = ?""";
  private static final String REDIRECT_URIS =
      "SELECT uri FROM app_redirect_uris WHERE client_id = ? ORDER BY position";
  private static final String OWNED_BY = """
      SELECT a.client_id, a.name, a.is_public, a.owner_user_id,
             EXISTS (SELECT 1 FROM app_logos l WHERE l.client_id = a.client_id) AS has_logo
      FROM apps a WHERE a.owner_user_id = :owner ORDER BY a.created_at, a.client_id""";
  private static final String REDIRECT_URIS_OWNED_BY = """
      SELECT u.client_id, u.uri FROM app_redirect_uris u JOIN apps a ON a.client_id = u.client_id
      WHERE a.owner_user_id = :owner ORDER BY u.client_id, u.position""";
  private static final String INSERT_APP = """
      INSERT INTO apps (client_id, name, owner_user_id, is_public, created_at)
      VALUES (:clientId, :name, :owner, :isPublic, :now)""";
  private static final String INSERT_URI =
      "INSERT INTO app_redirect_uris (client_id, uri, position) VALUES (:clientId, :uri, :position)";
  private static final String DELETE_URIS = "DELETE FROM app_redirect_uris WHERE client_id = :clientId";
  private static final String INSERT_SECRET =
      "INSERT INTO app_secrets (client_id, secret_hash, created_at) VALUES (:clientId, :hash, :now)";
  private static final String EXPIRE_CURRENT_SECRETS =
      "UPDATE app_secrets SET expires_at = :expiresAt WHERE client_id = :clientId AND expires_at IS NULL";
  private static final String DELETE_EXPIRED_SECRETS =
      "DELETE FROM app_secrets WHERE client_id = :clientId AND expires_at IS NOT NULL AND expires_at <= :now";
  private static final String PREVIOUS_SECRET_EXPIRY = """
      SELECT MAX(expires_at) FROM app_secrets
      WHERE client_id = :clientId AND expires_at IS NOT NULL AND expires_at > :now""";
  private static final String INSERT_LOGO = """
      INSERT INTO app_logos (client_id, content_type, data, sha256)
      VALUES (:clientId, :contentType, :data, :sha256)""";
  private static final String VALID_SECRETS = """
      SELECT secret_hash FROM app_secrets
      WHERE client_id = ? AND (expires_at IS NULL OR expires_at > ?)""";
  private static final String LOGO = "SELECT content_type, data, sha256 FROM app_logos WHERE client_id = :clientId";
  private static final String DELETE_APP = "DELETE FROM apps WHERE client_id = :clientId";
  // Not a foreign key (sends keep their history); the stored replies are of no use without the app.
  private static final String DELETE_IDEMPOTENCY = "DELETE FROM idempotency_keys WHERE client_id = :clientId";

  private final Database db;

  public JdbcAppStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<RegisteredApp> find(String clientId) {
    // Every token request authenticates its app: plain JDBC on cached statements.
    Optional<RegisteredApp> app = db.read(FIND, rs -> rs.next()
        ? Optional.of(new RegisteredApp(rs.getString(1), rs.getString(2), rs.getBoolean(3), List.of(), rs.getBoolean(5),
            rs.getString(4)))
        : Optional.<RegisteredApp>empty(), clientId);
    if (app.isEmpty()) return app;
    List<String> uris = db.read(REDIRECT_URIS, JdbcAppStore::strings, clientId);
    return Optional.of(withRedirectUris(app.get(), uris));
  }

  @Override
  public List<RegisteredApp> ownedBy(String userId) {
    return db.withHandle(h -> {
      List<RegisteredApp> apps = h.createQuery(OWNED_BY).bind("owner", userId)
          .map((rs, ctx) -> new RegisteredApp(rs.getString("client_id"), rs.getString("name"),
              rs.getBoolean("is_public"), List.of(), rs.getBoolean("has_logo"), rs.getString("owner_user_id")))
          .list();
      Map<String, List<String>> uris = new LinkedHashMap<>();
      h.createQuery(REDIRECT_URIS_OWNED_BY).bind("owner", userId)
          .map((rs, ctx) -> Map.entry(rs.getString("client_id"), rs.getString("uri")))
          .forEach(e -> uris.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
      List<RegisteredApp> out = new ArrayList<>();
      for (RegisteredApp app : apps) out.add(withRedirectUris(app, uris.getOrDefault(app.clientId(), List.of())));
      return out;
    });
  }

  @Override
  public void create(RegisteredApp app, String secretHash, Logo logo, Instant now) {
    db.inTransaction(() -> db.withHandle(h -> {
      h.createUpdate(INSERT_APP).bind("clientId", app.clientId()).bind("name", app.name())
          .bind("owner", app.ownerUserId()).bind("isPublic", app.isPublic()).bind("now", now.toEpochMilli())
          .execute();
      insertRedirectUris(h, app.clientId(), app.redirectUris());
      if (secretHash != null) {
        h.createUpdate(INSERT_SECRET).bind("clientId", app.clientId()).bind("hash", secretHash)
            .bind("now", now.toEpochMilli()).execute();
      }
      if (logo != null) {
        h.createUpdate(INSERT_LOGO).bind("clientId", app.clientId()).bind("contentType", logo.contentType())
            .bind("data", logo.data()).bind("sha256", logo.sha256()).execute();
      }
      return null;
    }));
  }

  @Override
  public void replaceRedirectUris(String clientId, List<String> uris) {
    db.inTransaction(() -> db.withHandle(h -> {
      h.createUpdate(DELETE_URIS).bind("clientId", clientId).execute();
      insertRedirectUris(h, clientId, uris);
      return null;
    }));
  }

  @Override
  public void rotateSecret(String clientId, String newSecretHash, Instant now, Instant previousExpiresAt) {
    db.inTransaction(() -> db.withHandle(h -> {
      h.createUpdate(DELETE_EXPIRED_SECRETS).bind("clientId", clientId).bind("now", now.toEpochMilli()).execute();
      h.createUpdate(EXPIRE_CURRENT_SECRETS).bind("clientId", clientId)
          .bind("expiresAt", previousExpiresAt.toEpochMilli()).execute();
      h.createUpdate(INSERT_SECRET).bind("clientId", clientId).bind("hash", newSecretHash)
          .bind("now", now.toEpochMilli()).execute();
      return null;
    }));
  }

  @Override
  public Optional<Instant> previousSecretExpiry(String clientId, Instant now) {
    return db.withHandle(h -> h.createQuery(PREVIOUS_SECRET_EXPIRY).bind("clientId", clientId)
        .bind("now", now.toEpochMilli()).mapTo(Long.class).findOne().map(Instant::ofEpochMilli));
  }

  @Override
  public List<String> validSecretHashes(String clientId, Instant now) {
    return db.read(VALID_SECRETS, JdbcAppStore::strings, clientId, now.toEpochMilli());
  }

  private static List<String> strings(java.sql.ResultSet rs) throws java.sql.SQLException {
    List<String> out = new ArrayList<>();
    while (rs.next()) out.add(rs.getString(1));
    return out;
  }

  @Override
  public Optional<Logo> logo(String clientId) {
    return db.withHandle(h -> h.createQuery(LOGO).bind("clientId", clientId)
        .map((rs, ctx) -> new Logo(rs.getString("content_type"), rs.getBytes("data"), rs.getString("sha256")))
        .findOne());
  }

  @Override
  public boolean delete(String clientId) {
    return db.inTransaction(() -> db.withHandle(h -> {
      h.createUpdate(DELETE_IDEMPOTENCY).bind("clientId", clientId).execute();
      return h.createUpdate(DELETE_APP).bind("clientId", clientId).execute() > 0;
    }));
  }

  private static void insertRedirectUris(Handle h, String clientId, List<String> uris) {
    int position = 0;
    for (String uri : uris) {
      h.createUpdate(INSERT_URI).bind("clientId", clientId).bind("uri", uri).bind("position", position++).execute();
    }
  }

  private static RegisteredApp withRedirectUris(RegisteredApp app, List<String> uris) {
    return new RegisteredApp(app.clientId(), app.name(), app.isPublic(), List.copyOf(uris), app.hasLogo(),
        app.ownerUserId());
  }
}
