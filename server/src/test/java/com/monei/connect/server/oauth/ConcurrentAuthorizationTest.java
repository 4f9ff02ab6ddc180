package com.monei.connect.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.TestServer.TestApp;
import com.monei.connect.server.support.WithTestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Code exchanges racing each other over real HTTP: single use must hold under concurrency (SPEC 1.3, 1.4). */
@WithTestServer
class ConcurrentAuthorizationTest {
  static TestServer server;
  static MoneiTestClient tokens;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    tokens = new MoneiTestClient(server);
  }

  @Test
  void exchangeWhenSixteenCodesOfOneUserAndAppRedeemedAtOnceThenAllSucceed() throws Exception {
    User user = server.user();
    server.credit(user, "NGN", "42.00");
    TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(user);
    List<String> codes = new ArrayList<>();
    codes.add(flow.approve(app, "wallet:read profile:read", List.of("wallet:read", "profile:read")));
    while (codes.size() < 16) codes.add(rememberedConsentCode(flow, app, "wallet:read profile:read"));
    assertThat(new HashSet<>(codes)).hasSize(16);

    List<HttpResponse<String>> answers = all(codes.stream()
        .<Callable<HttpResponse<String>>>map(code -> () -> tokens.exchange(app, code)).toList());

    List<String> accessTokens = new ArrayList<>();
    List<String> refreshTokens = new ArrayList<>();
    for (HttpResponse<String> answer : answers) {
      assertThat(answer.statusCode()).as("answer: %s", answer.body()).isEqualTo(200);
      JsonNode body = MoneiTestClient.json(answer);
      accessTokens.add(body.get("access_token").asText());
      refreshTokens.add(body.get("refresh_token").asText());
    }
    assertThat(new HashSet<>(accessTokens)).hasSize(16);
    assertThat(new HashSet<>(refreshTokens)).hasSize(16);
    for (String access : accessTokens) {
      HttpResponse<String> wallet = tokens.api("/api/v1/wallet/me", access);
      assertThat(wallet.statusCode()).as("wallet with %s: %s", access, wallet.body()).isEqualTo(200);
      assertThat(MoneiTestClient.json(wallet).get("balances").get(0).get("available").asText()).isEqualTo("42.00");
      JsonNode profile = MoneiTestClient.json(tokens.api("/api/v1/profile/me", access));
      assertThat(profile.get("id").asText()).isEqualTo(user.id());
    }
  }

  @RepeatedTest(3)
  void exchangeWhenOneCodeRedeemedByEightThreadsAtOnceThenExactlyOneWinsAndItsTokensAreRevoked() throws Exception {
    TestApp app = server.app().create();
    MoneiTestClient flow = new MoneiTestClient(server).signIn(server.user());
    String code = flow.approve(app, "profile:read", List.of("profile:read"));
    List<Callable<HttpResponse<String>>> exchanges = new ArrayList<>();
    for (int i = 0; i < 8; i++) exchanges.add(() -> tokens.exchange(app, code));

    List<HttpResponse<String>> answers = all(exchanges);

    List<HttpResponse<String>> winners = new ArrayList<>();
    for (HttpResponse<String> answer : answers) {
      assertThat(answer.statusCode()).as("answer: %s", answer.body()).isIn(200, 400);
      if (answer.statusCode() == 200) {
        winners.add(answer);
      } else {
        TokenEndpointTest.assertOAuthError(answer, 400, "invalid_grant");
      }
    }
    assertThat(winners).as("successful exchanges of one code").hasSize(1);

    // SPEC 1.4: "A code used twice: invalid_grant, and every token issued from that code is revoked."
    String access = MoneiTestClient.json(winners.get(0)).get("access_token").asText();
    HttpResponse<String> afterRace = tokens.api("/api/v1/profile/me", access);
    assertThat(afterRace.statusCode()).as("the winner's token after the replays: %s", afterRace.body())
        .isEqualTo(401);
    assertThat(afterRace.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"invalid_token\"");
    assertThat(MoneiTestClient.json(tokens.exchange(app, code)).get("error").asText()).isEqualTo("invalid_grant");
  }

  /** Opens the authorize URL again; consent is remembered, so the code comes back at once (302). */
  private static String rememberedConsentCode(MoneiTestClient flow, TestApp app, String scope) {
    HttpResponse<String> redirect = flow.get(flow.authorizeUrl(app, scope, "st-" + System.nanoTime()));
    assertThat(redirect.statusCode()).as("remembered consent: %s", redirect.body()).isEqualTo(302);
    String code = MoneiTestClient.query(redirect).get("code");
    assertThat(code).isNotBlank();
    return code;
  }

  /** Runs every task on its own thread, released together, and returns the answers in task order. */
  private static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch ready = new CountDownLatch(tasks.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return task.call();
        }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get(30, TimeUnit.SECONDS));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
