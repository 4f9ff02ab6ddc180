package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.User;
import com.monei.connect.server.support.MoneiServerExtension;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sign-in limits under concurrency (SPEC 1.2), with the default MONEI_LOGIN_MAX_FAILURES of 5:
 * an attempt is counted before its password is checked, so parallel guesses cannot all get in
 * below the limit. Runs on SQLite and, in the PostgreSQL pass, at READ COMMITTED.
 */
class ConcurrentLoginTest {
  private static final int LIMIT = 5;

  @RegisterExtension
  static final MoneiServerExtension MONEI = MoneiServerExtension.with(c -> c).perMethod();

  @Test
  void loginWhenFiftyWrongGuessesInParallelThenAtMostTheLimitAreAnsweredWithout429(TestServer server) {
    User victim = server.user();
    MoneiTestClient attacker = new MoneiTestClient(server);
    String csrf = attacker.loginCsrf();

    Map<Integer, Integer> statuses = inParallel(50,
        i -> attacker.postLogin(server.url(), victim.email(), "guess-" + i, csrf, "/").statusCode());

    assertThat(statuses).as("status -> answers").isEqualTo(Map.of(401, LIMIT, 429, 50 - LIMIT));
    assertThat(new MoneiTestClient(server).submitLogin(victim.email(), TestServer.PASSWORD, "/").statusCode())
        .as("the right password, once locked").isEqualTo(429);
  }

  @Test
  void loginWhenTwentyRightPasswordsInParallelThenEveryOneSignsIn(TestServer server) {
    User user = server.user();

    // More than the limit at once: the ones counted while others are still being checked wait for them.
    Map<Integer, Integer> statuses = inParallel(20,
        i -> new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode());

    assertThat(statuses).as("status -> answers").isEqualTo(Map.of(303, 20));
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), "wrong", "/").statusCode())
        .as("no failure left behind: a wrong password is still answered 401").isEqualTo(401);
  }

  @Test
  void loginWhenManyAccountsGuessedInParallelFromOneIpThenAtMostTenTimesTheLimitAreAnsweredWithout429(
      TestServer server) {
    MoneiTestClient attacker = new MoneiTestClient(server);
    String csrf = attacker.loginCsrf();
    int ipLimit = LIMIT * 10;

    // One guess per (unknown) account: only the per-IP limit can stop them.
    Map<Integer, Integer> statuses = inParallel(ipLimit + 30,
        i -> attacker.postLogin(server.url(), "spray" + i + "@monei.test", "guess", csrf, "/").statusCode());

    assertThat(statuses).as("status -> answers").isEqualTo(Map.of(401, ipLimit, 429, 30));
  }

  @Test
  void loginWhenRightPasswordAfterFailuresBelowTheLimitThenSignsInAndDoesNotCountAsAFailure(TestServer server) {
    User user = server.user();
    MoneiTestClient browser = new MoneiTestClient(server);
    String csrf = browser.loginCsrf();
    for (int i = 0; i < LIMIT - 1; i++) {
      assertThat(browser.postLogin(server.url(), user.email(), "guess-" + i, csrf, "/").statusCode()).isEqualTo(401);
    }

    assertThat(new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode())
        .as("right password with one failure to spare").isEqualTo(303);
    assertThat(new MoneiTestClient(server).submitLogin(user.email(), TestServer.PASSWORD, "/").statusCode())
        .as("and again: the success took its attempt back").isEqualTo(303);
    assertThat(browser.postLogin(server.url(), user.email(), "guess-last", csrf, "/").statusCode())
        .as("failure %d", LIMIT).isEqualTo(401);
    assertThat(browser.postLogin(server.url(), user.email(), TestServer.PASSWORD, csrf, "/").statusCode())
        .as("limit reached").isEqualTo(429);
  }

  /** Runs {@code attempt(i)} for i in [0, n) at once; returns how many answers each status got. */
  static Map<Integer, Integer> inParallel(int n, IntFunction<Integer> attempt) {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        answers.add(pool.submit(() -> {
          start.await();
          return attempt.apply(index);
        }));
      }
      start.countDown();
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (Future<Integer> answer : answers) statuses.merge(answer.get(), 1, Integer::sum);
      return statuses;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }
}
