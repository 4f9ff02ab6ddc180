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
    return server.services().db.withHandle(h -> h.createQuery(sql).bind("c", clientId).mapTo(Long.class).one());
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
    assertThat(count("SELECT COUNT(*) FROM app_secrets WHERE client_id = :c", clientId)).isEqualTo(2);

    server.advance(Config.DEFAULT_SECRET_ROTATION_OVERLAP.plusSeconds(1));
    server.services().housekeeping.purgeOnce();

    assertThat(count("SELECT COUNT(*) FROM app_secrets WHERE client_id = :c", clientId)).isEqualTo(1);
    assertThat(tokenStatus(clientId, app.clientSecret())).isEqualTo(401);
    assertThat(tokenStatus(clientId, current)).isEqualTo(400);
  }

  @Test
  void deleteWhenAppHasStoredIdempotentRepliesThenTheyGoWithIt() {
    User owner = server.user();
    AppRegistration registration = server.services().registration;
    String clientId = registration.register("Leaving", List.of("https://leaving.example/cb"), null, false, owner.id())
        .app().clientId();
    server.services().db.withHandle(h -> h.createUpdate("""
        INSERT INTO idempotency_keys (user_id, client_id, idempotency_key, request_hash, response_status, response_body,
          created_at) VALUES (:u, :c, 'k1', 'h', 201, '{}', 0)""").bind("u", owner.id()).bind("c", clientId).execute());

    assertThat(registration.delete(clientId, owner.id())).isTrue();
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys WHERE client_id = :c", clientId)).isZero();
    assertThat(count("SELECT COUNT(*) FROM apps WHERE client_id = :c", clientId)).isZero();
  }
}
