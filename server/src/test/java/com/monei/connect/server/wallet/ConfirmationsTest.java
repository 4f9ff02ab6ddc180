package com.monei.connect.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.Services;
import com.monei.connect.server.account.SecondFactor;
import com.monei.connect.server.account.User;
import com.monei.connect.server.storage.JdbcConfirmationStore;
import com.monei.connect.server.storage.JdbcLedgerStore;
import com.monei.connect.server.support.MoneiTestClient;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The answer to a confirmation when the user has a second step (SPEC 1.6: "the current second-step
 * code when two-step verification is on"): the code is the proof, the password is not, and each
 * attempt is counted. Two-step verification itself is built elsewhere, so a stand-in plays it here
 * against the real stores.
 */
@WithTestServer
class ConfirmationsTest {
  static TestServer server;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
  }

  /** A second step that accepts "246810" once and records what it was asked. */
  static final class OneCode implements SecondFactor {
    final List<String> asked = new ArrayList<>();
    boolean used;

    @Override
    public boolean enabled(String userId) {
      return true;
    }

    @Override
    public synchronized boolean verify(String userId, String code) {
      asked.add(code);
      if (used || !"246810".equals(code)) return false;
      used = true;
      return true;
    }
  }

  private static Confirmations withSecondFactor(SecondFactor secondFactor) {
    Services s = server.services();
    return new Confirmations(new JdbcConfirmationStore(s.db), new JdbcLedgerStore(s.db), s.accounts,
        s.loginAttempts, secondFactor, s.db, s.audit, s.clock, null, Duration.ofSeconds(600));
  }

  /** A pending confirmation of a fresh user, asked over HTTP; returns its id. */
  private static String ask(User sender) {
    User recipient = server.user();
    server.credit(sender, "NGN", "1000.00");
    MoneiTestClient browser = new MoneiTestClient(server).signIn(sender);
    String token = browser.grantSend(server.app().create(), "wallet:send", "1000.00", "NGN", "10.00")
        .get("access_token").asText();
    String body = "{\"to\":\"" + recipient.email() + "\",\"amount\":\"20.00\",\"currency\":\"NGN\"}";
    return MoneiTestClient.json(browser.sendMoney(token, UUID.randomUUID().toString(), body))
        .get("confirmation_id").asText();
  }

  @Test
  void decideWhenSecondStepOnThenCodeIsTheProofAndPasswordIsNot() {
    User sender = server.user();
    String id = ask(sender);
    OneCode code = new OneCode();
    Confirmations confirmations = withSecondFactor(code);
    assertThat(confirmations.show(id, sender.id()).orElseThrow().asksForCode()).isTrue();
    assertThat(confirmations.decide(sender.id(), id, Confirmation.State.CONFIRMED, TestServer.PASSWORD, "10.0.0.1"))
        .isEqualTo(Confirmations.Answer.WRONG_PROOF);
    assertThat(confirmations.decide(sender.id(), id, Confirmation.State.CONFIRMED, "000000", "10.0.0.1"))
        .isEqualTo(Confirmations.Answer.WRONG_PROOF);
    assertThat(confirmations.show(id, sender.id()).orElseThrow().confirmation().state())
        .isEqualTo(Confirmation.State.PENDING);
    assertThat(confirmations.decide(sender.id(), id, Confirmation.State.CONFIRMED, "246810", "10.0.0.1"))
        .isEqualTo(Confirmations.Answer.DECIDED);
    assertThat(code.asked).containsExactly(TestServer.PASSWORD, "000000", "246810");
    assertThat(confirmations.show(id, sender.id()).orElseThrow().confirmation().state())
        .isEqualTo(Confirmation.State.CONFIRMED);
    // Answered: a second answer, even with a good proof, decides nothing.
    assertThat(confirmations.decide(sender.id(), id, Confirmation.State.REJECTED, "246810", "10.0.0.1"))
        .isEqualTo(Confirmations.Answer.CLOSED);
  }

  @Test
  void decideWhenCodesWrongThenThrottledBeforeTheCodeIsChecked() {
    User sender = server.user();
    String id = ask(sender);
    OneCode code = new OneCode();
    Confirmations confirmations = withSecondFactor(code);
    List<Confirmations.Answer> answers = new ArrayList<>();
    for (int i = 0; i < 7; i++)
      answers.add(confirmations.decide(sender.id(), id, Confirmation.State.CONFIRMED, "11111" + i, "10.0.0.2"));
    assertThat(answers).startsWith(Confirmations.Answer.WRONG_PROOF).endsWith(Confirmations.Answer.THROTTLED);
    int checked = code.asked.size();
    assertThat(confirmations.decide(sender.id(), id, Confirmation.State.CONFIRMED, "246810", "10.0.0.2"))
        .isEqualTo(Confirmations.Answer.THROTTLED);
    assertThat(code.asked).hasSize(checked);
  }

  @Test
  void decideWhenAnotherUsersConfirmationThenClosed() {
    User sender = server.user();
    String id = ask(sender);
    User other = server.user();
    Confirmations confirmations = withSecondFactor(new OneCode());
    assertThat(confirmations.show(id, other.id())).isEmpty();
    assertThat(confirmations.decide(other.id(), id, Confirmation.State.CONFIRMED, "246810", "10.0.0.3"))
        .isEqualTo(Confirmations.Answer.CLOSED);
    assertThat(confirmations.show(id, sender.id()).orElseThrow().confirmation().state())
        .isEqualTo(Confirmation.State.PENDING);
  }
}
