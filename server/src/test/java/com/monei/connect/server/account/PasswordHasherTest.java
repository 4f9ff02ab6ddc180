package com.monei.connect.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * PasswordHasher verifies on reused Argon2 memory (PooledArgon2, which drives password4j's private
 * steps). It must agree with password4j's public API on every password, right or wrong, including
 * non-ASCII ones and concurrent use of the pooled memory.
 */
class PasswordHasherTest {
  private static final Argon2Function SERVER_PARAMETERS = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);

  private static String randomPassword(SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    int length = 8 + random.nextInt(40);
    String alphabet = "abcXYZ0189 !$%&/()=?\u00e9\u00fc\u00df\u20ac\u4e2d\ud83d\ude00";
    while (sb.length() < length) sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
    return sb.toString();
  }

  @Test
  void verificationRunsOnPooledMemory() {
    assertThat(PasswordHasher.pooled()).as("password4j internals reachable; pooled verification active").isTrue();
  }

  @Test
  void unknownEmailsAreCheckedAgainstAHashInTheServerParametersThatNothingMatches() {
    String dummy = PasswordHasher.dummyHash();
    Argon2Function parameters = Argon2Function.getInstanceFromHash(dummy);
    // The same parameters and the pooled path: the miss costs one full verification, not a parse error.
    assertThat(parameters.getMemory()).isEqualTo(SERVER_PARAMETERS.getMemory());
    assertThat(parameters.getIterations()).isEqualTo(SERVER_PARAMETERS.getIterations());
    assertThat(parameters.getParallelism()).isEqualTo(SERVER_PARAMETERS.getParallelism());
    assertThat(parameters.getVariant()).isEqualTo(Argon2.ID);
    assertThat(parameters.getOutputLength()).isEqualTo(SERVER_PARAMETERS.getOutputLength());
    double cpu = PasswordHasher.cpuSeconds();
    assertThat(PasswordHasher.verify("", dummy)).isFalse();
    assertThat(PasswordHasher.verify("not-a-real-password", dummy)).isFalse();
    // Two whole 19 MiB computations, not an early return: well over 5 ms of CPU each.
    assertThat(PasswordHasher.cpuSeconds() - cpu).isGreaterThan(0.010);
    assertThat(Password.check("not-a-real-password", dummy).with(parameters)).isFalse();
  }

  @Test
  void pooledVerificationAgreesWithPassword4jOnRightAndWrongPasswords() {
    SplittableRandom random = new SplittableRandom(20261127);
    for (int i = 0; i < 8; i++) {
      String password = randomPassword(random);
      String phc = PasswordHasher.hash(password);
      String wrong = password.substring(0, password.length() - 1) + (password.endsWith("a") ? "b" : "a");
      assertThat(PasswordHasher.verify(password, phc)).as(password).isTrue();
      assertThat(Password.check(password, phc).with(Argon2Function.getInstanceFromHash(phc))).isTrue();
      assertThat(PasswordHasher.verify(wrong, phc)).as(wrong).isFalse();
    }
  }

  @Test
  void hashesMadeByPassword4jWithTheServerParametersVerify() {
    String phc = Password.hash("correct horse battery staple").addRandomSalt(16).with(SERVER_PARAMETERS).getResult();
    assertThat(PasswordHasher.verify("correct horse battery staple", phc)).isTrue();
    assertThat(PasswordHasher.verify("correct horse battery stapler", phc)).isFalse();
  }

  @Test
  void hashesWithOtherParametersStillVerifyThroughPassword4j() {
    Argon2Function older = Argon2Function.getInstance(4096, 3, 1, 32, Argon2.ID);
    String phc = Password.hash("an older password").addRandomSalt(16).with(older).getResult();
    assertThat(PasswordHasher.verify("an older password", phc)).isTrue();
    assertThat(PasswordHasher.verify("an older passwore", phc)).isFalse();
  }

  @Test
  void concurrentVerificationsShareThePoolCorrectly() throws Exception {
    String phcA = PasswordHasher.hash("alpha-password");
    String phcB = PasswordHasher.hash("bravo-password");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        int n = i;
        results.add(pool.submit(() -> switch (n % 4) {
          case 0 -> PasswordHasher.verify("alpha-password", phcA);
          case 1 -> PasswordHasher.verify("bravo-password", phcB);
          case 2 -> !PasswordHasher.verify("bravo-password", phcA);
          default -> !PasswordHasher.verify("alpha-password", phcB);
        }));
      }
      for (Future<Boolean> r : results) assertThat(r.get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theOwnFillMatchesPassword4jBitForBitAcrossParameters() {
    // Small and odd shapes too: 8 blocks leave the first segment with nothing to fill.
    int[][] shapes = {{8, 1}, {8, 3}, {16, 2}, {64, 1}, {256, 4}, {1024, 2}, {4096, 3}};
    SplittableRandom random = new SplittableRandom(9106);
    for (int[] shape : shapes) {
      Argon2Function parameters = Argon2Function.getInstance(shape[0], shape[1], 1, 32, Argon2.ID);
      PooledArgon2 pooled = PooledArgon2.create(parameters);
      assertThat(pooled).as("m=%d t=%d", shape[0], shape[1]).isNotNull();
      for (int i = 0; i < 5; i++) {
        String password = randomPassword(random);
        String phc = Password.hash(password).addRandomSalt(16).with(parameters).getResult();
        assertThat(pooled.matches(password, phc)).as("m=%d t=%d %s", shape[0], shape[1], password).isTrue();
        assertThat(pooled.matches(password + "!", phc)).isFalse();
      }
    }
  }

  @Test
  void malformedHashesAreRefusedNotThrown() {
    assertThat(PasswordHasher.verify("whatever-password", "$argon2id$v=19$m=19456,t=2,p=1$!!$??")).isFalse();
    assertThat(PasswordHasher.verify("whatever-password", "not a hash")).isFalse();
  }
}
