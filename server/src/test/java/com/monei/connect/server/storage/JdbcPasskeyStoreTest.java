package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.account.Passkey;
import com.monei.connect.server.account.User;
import com.monei.connect.server.support.TestServer;
import com.monei.connect.server.support.WithTestServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The passkey store's edge cases on the real schema (SQLite, and PostgreSQL when the suite runs there). */
@WithTestServer
class JdbcPasskeyStoreTest {
  static TestServer server;
  static JdbcPasskeyStore store;

  @BeforeAll
  static void start(TestServer started) {
    server = started;
    store = new JdbcPasskeyStore(server.services().db);
  }

  @Test
  void insertWhenCredentialIdTakenThenRefusedEvenForAnotherUser() {
    Passkey first = passkey(server.user(), "cred-taken", 0);
    assertThat(store.insert(first)).isTrue();
    assertThat(store.insert(passkey(server.user(), "cred-taken", 0))).isFalse();
    assertThat(store.findByCredentialId("cred-taken")).map(Passkey::id).hasValue(first.id());
  }

  @Test
  void recordUseWhenCounterDoesNotAdvanceThenRefused() {
    Passkey counting = passkey(server.user(), "cred-counting", 5);
    store.insert(counting);
    Instant now = server.clock.instant();
    assertThat(store.recordUse(counting.id(), 5, now)).as("the same value again").isFalse();
    assertThat(store.recordUse(counting.id(), 4, now)).as("a lower value").isFalse();
    assertThat(store.recordUse(counting.id(), 6, now)).isTrue();
    assertThat(store.findByCredentialId("cred-counting")).hasValueSatisfying(p -> {
      assertThat(p.signCount()).isEqualTo(6);
      assertThat(p.lastUsedAt()).isEqualTo(Instant.ofEpochMilli(now.toEpochMilli()));
    });

    // An authenticator that keeps no counter reports 0 every time.
    Passkey uncounted = passkey(server.user(), "cred-uncounted", 0);
    store.insert(uncounted);
    assertThat(store.recordUse(uncounted.id(), 0, now)).isTrue();
    assertThat(store.recordUse(uncounted.id(), 0, now)).isTrue();
  }

  @Test
  void renameAndDeleteWhenPasskeyIsAnotherUsersThenNothingChanges() {
    User owner = server.user();
    Passkey passkey = passkey(owner, "cred-owned", 0);
    store.insert(passkey);
    String stranger = server.user().id();
    assertThat(store.rename(passkey.id(), stranger, "Mine now")).isFalse();
    assertThat(store.delete(passkey.id(), stranger)).isFalse();
    assertThat(store.listOf(owner.id())).extracting(Passkey::name).containsExactly("Key");
    assertThat(store.deleteAllOf(stranger)).isZero();
    assertThat(store.deleteAllOf(owner.id())).isEqualTo(1);
  }

  @Test
  void consumeChallengeWhenOtherSessionPurposeOrExpiredThenEmptyAndOnlyOnceOtherwise() {
    Instant now = server.clock.instant();
    Instant expires = now.plus(Duration.ofMinutes(5));
    store.saveChallenge("ch-1", "session-a", "login", null, expires);
    store.saveChallenge("ch-2", "session-a", "register", "usr_x", expires);

    assertThat(store.consumeChallenge("ch-1", "session-b", "login", now)).isEmpty();
    assertThat(store.consumeChallenge("ch-1", "session-a", "register", now)).isEmpty();
    assertThat(store.consumeChallenge("ch-1", "session-a", "login", expires)).as("at its expiry").isEmpty();
    assertThat(store.consumeChallenge("ch-1", "session-a", "login", now)).hasValue("");
    assertThat(store.consumeChallenge("ch-1", "session-a", "login", now)).as("used up").isEmpty();
    assertThat(store.consumeChallenge("ch-2", "session-a", "register", now)).hasValue("usr_x");
  }

  private static Passkey passkey(User user, String credentialId, long signCount) {
    return new Passkey("pk_" + credentialId + "_" + System.nanoTime(), user.id(), credentialId, "aGFuZGxl", "a2V5",
        "AAAAAAAAAAAAAAAAAAAAAA", signCount, true, false, false, "Key", server.clock.instant(), null);
  }
}
