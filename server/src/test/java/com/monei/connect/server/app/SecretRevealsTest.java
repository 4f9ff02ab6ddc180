package com.monei.connect.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.support.MutableClock;
import com.monei.connect.server.token.TokenFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC 2: a new secret is shown once, to the session that made it, and is stored nowhere. */
class SecretRevealsTest {
  private static final String APP = "mc_app";
  private static final String SESSION = "session-id-of-the-developer";
  private static final String SECRET = TokenFormat.generate(TokenFormat.CLIENT_SECRET);

  private final MutableClock clock = MutableClock.startingNow();
  private final MemoryStore store = new MemoryStore();
  private final byte[] key = new byte[32];
  private final SecretReveals reveals = new SecretReveals(store, name -> key.clone(), clock);

  /** The store's rows, for what it holds and the single-use rule. */
  private final class MemoryStore implements SecretRevealStore {
    record Row(String sessionHash, String clientId, SecretReveals.Occasion occasion, Instant expiresAt) {}

    final Map<String, Row> rows = new HashMap<>();

    @Override
    public void save(String idHash, String sessionHash, String clientId, SecretReveals.Occasion occasion,
        Instant expiresAt) {
      rows.put(idHash, new Row(sessionHash, clientId, occasion, expiresAt));
    }

    @Override
    public Optional<SecretReveals.Occasion> consume(String idHash, String sessionHash, String clientId, Instant now) {
      Row row = rows.get(idHash);
      if (row == null || !row.sessionHash().equals(sessionHash) || !row.clientId().equals(clientId)
          || !now.isBefore(row.expiresAt())) return Optional.empty();
      rows.remove(idHash);
      return Optional.of(row.occasion());
    }
  }

  @Test
  void openWhenSameSessionAndAppThenSecretOnceAndThenNothing() {
    String sealed = reveals.seal(APP, SESSION, SECRET, SecretReveals.Occasion.ROTATED);

    assertThat(reveals.open(APP, SESSION, sealed))
        .hasValue(new SecretReveals.Reveal(SECRET, SecretReveals.Occasion.ROTATED));
    assertThat(reveals.open(APP, SESSION, sealed)).isEmpty();
  }

  @Test
  void sealWhenCalledThenNeitherStoreNorValueHoldsTheSecretInClear() {
    String sealed = reveals.seal(APP, SESSION, SECRET, SecretReveals.Occasion.REGISTERED);

    assertThat(sealed).doesNotContain(SECRET).doesNotContain(SECRET.substring(4));
    assertThat(store.rows.toString()).doesNotContain(SECRET.substring(4)).doesNotContain(SESSION)
        .doesNotContain(sealed.substring(0, sealed.indexOf('.')));
  }

  @Test
  void openWhenAnotherSessionOrAppThenNothingAndTheRightOneStillCan() {
    String sealed = reveals.seal(APP, SESSION, SECRET, SecretReveals.Occasion.REGISTERED);

    assertThat(reveals.open(APP, "another-session", sealed)).isEmpty();
    assertThat(reveals.open("mc_other", SESSION, sealed)).isEmpty();
    assertThat(reveals.open(APP, SESSION, sealed)).isPresent();
  }

  @Test
  void openWhenExpiredThenNothing() {
    String sealed = reveals.seal(APP, SESSION, SECRET, SecretReveals.Occasion.REGISTERED);
    clock.advance(SecretReveals.LIFETIME.plus(Duration.ofSeconds(1)));

    assertThat(reveals.open(APP, SESSION, sealed)).isEmpty();
  }

  static Stream<String> forgeries() {
    return Stream.of(null, "", ".", "garbage", "a".repeat(43) + ".", "a".repeat(43) + ".!!!", "a".repeat(43)
        + ".AAAA", "a".repeat(42) + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("forgeries")
  void openWhenMalformedThenNothing(String value) {
    reveals.seal(APP, SESSION, SECRET, SecretReveals.Occasion.REGISTERED);

    assertThat(reveals.open(APP, SESSION, value)).isEmpty();
  }

  @Test
  void openWhenCiphertextAlteredThenNothingAndTheRevealIsNotUsedUp() {
    String sealed = reveals.seal(APP, SESSION, SECRET, SecretReveals.Occasion.REGISTERED);
    int last = sealed.length() - 1;
    String altered = sealed.substring(0, last) + (sealed.charAt(last) == 'A' ? 'B' : 'A');

    assertThat(reveals.open(APP, SESSION, altered)).isEmpty();
    assertThat(reveals.open(APP, SESSION, sealed)).isPresent();
  }

  @Test
  void openWhenSealedValueMovedToAnotherRevealIdThenNothing() {
    String first = reveals.seal(APP, SESSION, SECRET, SecretReveals.Occasion.REGISTERED);
    String second = reveals.seal(APP, SESSION, TokenFormat.generate(TokenFormat.CLIENT_SECRET),
        SecretReveals.Occasion.ROTATED);
    String spliced = second.substring(0, second.indexOf('.')) + first.substring(first.indexOf('.'));

    assertThat(reveals.open(APP, SESSION, spliced)).isEmpty();
  }
}
