package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.Config;
import com.monei.connect.server.account.User;
import com.monei.connect.server.app.AppRegistration;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What housekeeping and app deletion remove besides tokens: rotated-out secrets, stored idempotent replies. */
@WithTestServer
class AppCleanupTest {
  static TestServer server;
  static MoneiTestClient tokens;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
  }

  private static long count(String sql, String clientId) {
    return server.services().db.read(sql, rs -> rs.next() ? rs.getLong("n") : 0L, clientId);
  }

  /** 401 invalid_client for a wrong secret; 400 invalid_grant for a right one with a made-up code. */
  private static int tokenStatus(String clientId, String secret) {
    HttpResponse<String> r = tokens.tokenPostForm(Map.of("grant_type", "authorization_code", "code", "x".repeat(43),
        "client_id", clientId, "client_secret", secret));
    return r.statusCode();
  }

  @Test
  void purgeWhenRotatedSecretPastOverlapThenRowGoneAndCurrentSecretStillWorks() {
    User owner = server.user();
    AppRegistration registration = server.services().registration;
    AppRegistration.Registered app = registration.register("Rotating", List.of("https://rotating.example/cb"), null,
        false, owner.id());
    String clientId = app.app().clientId();
    String current = registration.rotateSecret(clientId, owner.id()).orElseThrow().clientSecret();
    assertThat(count("SELECT COUNT(*) AS n FROM app_secrets WHERE client_id = ?", clientId)).isEqualTo(2);

    server.advance(Config.DEFAULT_SECRET_ROTATION_OVERLAP.plusSeconds(1));
    server.services().housekeeping.purgeOnce();

    assertThat(count("SELECT COUNT(*) AS n FROM app_secrets WHERE client_id = ?", clientId)).isEqualTo(1);
    assertThat(tokenStatus(clientId, app.clientSecret())).isEqualTo(401);
    assertThat(tokenStatus(clientId, current)).isEqualTo(400);
  }

  @Test
  void deleteWhenAppHasStoredIdempotentRepliesThenTheyGoWithIt() {
    User owner = server.user();
    AppRegistration registration = server.services().registration;
    String clientId = registration.register("Leaving", List.of("https://leaving.example/cb"), null, false, owner.id())
        .app().clientId();
    server.services().db.update("""
        INSERT INTO idempotency_keys (user_id, client_id, idempotency_key, request_hash, response_status, response_body,
          created_at) VALUES (?, ?, 'k1', 'h', 201, '{}', 0)""", owner.id(), clientId);

    assertThat(registration.delete(clientId, owner.id())).isTrue();
    assertThat(count("SELECT COUNT(*) AS n FROM idempotency_keys WHERE client_id = ?", clientId)).isZero();
    assertThat(count("SELECT COUNT(*) AS n FROM apps WHERE client_id = ?", clientId)).isZero();
  }
}
