package com.monei.connect.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PasswordHasher hashes with libargon2 (through argon2-jvm). Bouncy Castle's Argon2, an independent
 * implementation in Java, must agree with it both ways at the server's parameters; hashes that
 * password4j wrote before the switch must still verify.
 */
class PasswordHasherTest {
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final List<String> PASSWORDS =
      List.of("correct horse battery staple", "P\u00e4ssw\u00f6rd \u20ac \ud83d\ude00 \u4e2d\u6587");

  /** A stored hash, taken apart. */
  private record Phc(int memory, int iterations, int parallelism, byte[] salt, byte[] hash) {
    static Phc parse(String phc) {
      Matcher m = PHC.matcher(phc);
      assertThat(m.matches()).as(phc).isTrue();
      Base64.Decoder b64 = Base64.getDecoder();
      return new Phc(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          b64.decode(m.group(4)), b64.decode(m.group(5)));
    }

    String format() {
      return "$argon2id$v=19$m=" + memory + ",t=" + iterations + ",p=" + parallelism
          + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }
  }

  /** Bouncy Castle's Argon2id (version 0x13) of {@code password} in UTF-8. */
  private static byte[] bouncyCastle(String password, int memory, int iterations, int parallelism, byte[] salt,
      int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memory).withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) bytes[i] = (byte) random.nextInt(256);
    return bytes;
  }

  private static String randomPassword(SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    int length = 8 + random.nextInt(40);
    String alphabet = "abcXYZ0189 !$%&/()=?\u00e9\u00fc\u00df\u20ac\u4e2d\ud83d\ude00";
    while (sb.length() < length) sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
    return sb.toString();
  }

  private static String wrong(String password) {
    return password.substring(0, password.length() - 1) + (password.endsWith("a") ? "b" : "a");
  }

  @Test
  void requireNativeLibraryWhenLibargon2LoadsThenPasses() {
    assertThatCode(PasswordHasher::requireNativeLibrary).doesNotThrowAnyException();
  }

  @Test
  void hashWhenMadeThenIsAPhcStringInTheServerParameters() {
    Phc phc = Phc.parse(PasswordHasher.hash("a new password"));
    assertThat(phc.memory()).isEqualTo(19456);
    assertThat(phc.iterations()).isEqualTo(2);
    assertThat(phc.parallelism()).isEqualTo(1);
    assertThat(phc.salt()).hasSize(16);
    assertThat(phc.hash()).hasSize(32);
    // What password4j wrote: standard Base64 without padding, so a re-encoding gives the same string.
    String again = PasswordHasher.hash("a new password");
    assertThat(Phc.parse(again).format()).isEqualTo(again);
    assertThat(again).isNotEqualTo(phc.format()); // a fresh salt each time
  }

  @Test
  void verifyDummyWhenEmailUnknownThenCostsAFullVerificationThatNothingMatches() {
    String dummy = PasswordHasher.dummyHash();
    Phc phc = Phc.parse(dummy);
    // The same parameters as a real hash: the miss costs one full verification, not a parse error.
    assertThat(phc.memory()).isEqualTo(PasswordHasher.MEMORY_KIB);
    assertThat(phc.iterations()).isEqualTo(PasswordHasher.ITERATIONS);
    assertThat(phc.parallelism()).isEqualTo(PasswordHasher.PARALLELISM);
    assertThat(phc.salt()).hasSize(PasswordHasher.SALT_BYTES);
    assertThat(phc.hash()).hasSize(PasswordHasher.HASH_BYTES);
    long hashes = PasswordHasher.hashes();
    double cpu = PasswordHasher.cpuSeconds();
    assertThat(PasswordHasher.verify("", dummy)).isFalse();
    assertThat(PasswordHasher.verify("not-a-real-password", dummy)).isFalse();
    PasswordHasher.verifyDummy("not-a-real-password");
    PasswordHasher.verifyDummy(null);
    assertThat(PasswordHasher.hashes() - hashes).isEqualTo(4);
    // Four whole 19 MiB computations, not early returns: well over 5 ms of CPU each.
    assertThat(PasswordHasher.cpuSeconds() - cpu).isGreaterThan(0.020);
  }

  @Test
  void verifyWhenPasswordRightOrWrongThenAgreesForRandomPasswords() {
    SplittableRandom random = new SplittableRandom(20261127);
    for (int i = 0; i < 8; i++) {
      String password = randomPassword(random);
      String phc = PasswordHasher.hash(password);
      assertThat(PasswordHasher.verify(password, phc)).as(password).isTrue();
      assertThat(PasswordHasher.verify(wrong(password), phc)).as(wrong(password)).isFalse();
    }
  }

  @Test
  void hashWhenRecomputedByBouncyCastleFromItsSaltThenGivesTheSameBytes() {
    for (String password : PASSWORDS) {
      Phc phc = Phc.parse(PasswordHasher.hash(password));
      byte[] recomputed = bouncyCastle(password, phc.memory(), phc.iterations(), phc.parallelism(), phc.salt(), 32);
      assertThat(recomputed).as(password).isEqualTo(phc.hash());
    }
  }

  @Test
  void verifyWhenHashMadeByBouncyCastleAtTheServerParametersThenMatchesOnlyTheRightPassword() {
    SplittableRandom random = new SplittableRandom(9106);
    for (String password : PASSWORDS) {
      byte[] salt = randomBytes(random, 16);
      byte[] hash = bouncyCastle(password, 19456, 2, 1, salt, 32);
      String phc = new Phc(19456, 2, 1, salt, hash).format();
      assertThat(PasswordHasher.verify(password, phc)).as(password).isTrue();
      assertThat(PasswordHasher.verify(wrong(password), phc)).as(wrong(password)).isFalse();
    }
  }

  /** The parameters come from each stored hash, so they can be raised (or were lower) without a migration. */
  @ParameterizedTest(name = "m={0} t={1} p={2}")
  @CsvSource({"8, 1, 1", "8, 3, 1", "16, 2, 1", "64, 1, 1", "256, 4, 1", "1024, 2, 1", "4096, 3, 1", "4096, 2, 2",
      "32768, 2, 1"})
  void verifyWhenHashHasOtherParametersThenUsesThoseWrittenInIt(int memory, int iterations, int parallelism) {
    SplittableRandom random = new SplittableRandom(memory * 31L + iterations);
    for (int i = 0; i < 3; i++) {
      String password = randomPassword(random);
      byte[] salt = randomBytes(random, 16);
      byte[] hash = bouncyCastle(password, memory, iterations, parallelism, salt, 32);
      String phc = new Phc(memory, iterations, parallelism, salt, hash).format();
      assertThat(PasswordHasher.verify(password, phc)).as("%s %s", phc, password).isTrue();
      assertThat(PasswordHasher.verify(password + "!", phc)).isFalse();
    }
  }

  /** Written by password4j 1.8.4 through the previous PasswordHasher (and one at older parameters). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "before-argon2-jvm-1"
          + "|$argon2id$v=19$m=19456,t=2,p=1$sWAT1Mq78/1Vzfdp8QPilQ$jNxzHNWZMm9xG/lpZ+5IIgYk9IcOBAp6/zjcxxyxfgI",
      "P\u00e4ssw\u00f6rd \u20ac \ud83d\ude00 \u4e2d\u6587 before"
          + "|$argon2id$v=19$m=19456,t=2,p=1$aGc/q7FQvUqGfhJ20+PnJA$eQQkIu2ZpP95u0JN/W8vFgktFGfd3MqIqQunSkOUAbs",
      // An unpaired surrogate was written as '?' in UTF-8, as String.getBytes writes it.
      "lone \ud800 surrogate"
          + "|$argon2id$v=19$m=19456,t=2,p=1$boXrF482DFvnBUXWqdmNFA$ho60b3yZy1PgaOl09kBeRQMOiZ35EVraysllCJ12BjM",
      "an older password"
          + "|$argon2id$v=19$m=4096,t=3,p=1$pC6venPx7zWlGlYcoJ7NzQ$Oe7/a1WyYLu9Qz8hmmVhQId4O4Z/kwwm2Tbd+qJ4T+4"})
  void verifyWhenHashWasWrittenByPassword4jBeforeTheSwitchThenStillMatches(String password, String phc) {
    assertThat(PasswordHasher.verify(password, phc)).isTrue();
    assertThat(PasswordHasher.verify(wrong(password), phc)).isFalse();
    Phc parsed = Phc.parse(phc);
    assertThat(bouncyCastle(password, parsed.memory(), parsed.iterations(), parsed.parallelism(), parsed.salt(), 32))
        .isEqualTo(parsed.hash());
  }

  @Test
  void verifyWhenConcurrentThenEachCallerGetsItsOwnAnswerFromAtMostOneHashingThreadPerCore() throws Exception {
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
    // Hashed on at most one thread per core, whoever asked: the native memory malloc keeps after a
    // hash stays one 19 MiB block per hashing thread.
    long hashingThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("argon2-")).count();
    assertThat(hashingThreads).isBetween(1L, (long) Runtime.getRuntime().availableProcessors());
  }

  @Test
  void verifyWhenRepeatedThenLibargon2WorksInTheHashingThreadsOwnBlocksNotFreshMemory() {
    String phc = PasswordHasher.hash("charlie-password");
    for (int i = 0; i < 4; i++) PasswordHasher.verify("charlie-password", phc);
    long before = NativeArgon2id.blocksMade();

    for (int i = 0; i < 8; i++) assertThat(PasswordHasher.verify("charlie-password", phc)).isTrue();

    // Every hashing thread has its 19 MiB block by now: eight more verifications make none.
    assertThat(before).isBetween(1L, 2L * Runtime.getRuntime().availableProcessors());
    assertThat(NativeArgon2id.blocksMade()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "$argon2id$v=19$m=19456,t=2,p=1$!!$??",
      "not a hash",
      "''",
      "NULL",
      "$argon2id$v=19$m=19456,t=2,p=1$sWAT1Mq78/1Vzfdp8QPilQ",
      "$argon2id$v=19$m=19456,t=2,p=1$sWAT1Mq78/1Vzfdp8QPilQ$jNxzHNWZMm9xG/lpZ+5IIgYk9IcOBAp6/zjcxxyxfgI$",
      "$argon2i$v=19$m=19456,t=2,p=1$sWAT1Mq78/1Vzfdp8QPilQ$jNxzHNWZMm9xG/lpZ+5IIgYk9IcOBAp6/zjcxxyxfgI",
      "$argon2id$v=19$m=19456,t=0,p=1$sWAT1Mq78/1Vzfdp8QPilQ$jNxzHNWZMm9xG/lpZ+5IIgYk9IcOBAp6/zjcxxyxfgI",
      "$argon2id$v=19$m=19456,t=2,p=1$s\u00e9AT1Mq78/1Vzfdp8QPilQ$jNxzHNWZMm9xG/lpZ+5IIgYk9IcOBAp6/zjcxxyxfgI"})
  void verifyWhenHashMalformedThenFalseNotThrown(String phc) {
    assertThat(PasswordHasher.verify("before-argon2-jvm-1", phc)).isFalse();
  }

  @Test
  void verifyWhenPasswordLongerThanMaxThenFalseWithoutHashing() {
    String phc = PasswordHasher.hash("x".repeat(PasswordHasher.MAX_LENGTH));
    assertThat(PasswordHasher.verify("x".repeat(PasswordHasher.MAX_LENGTH), phc)).isTrue();
    long hashes = PasswordHasher.hashes();
    assertThat(PasswordHasher.verify("x".repeat(PasswordHasher.MAX_LENGTH + 1), phc)).isFalse();
    assertThat(PasswordHasher.verify(null, phc)).isFalse();
    assertThat(PasswordHasher.hashes()).isEqualTo(hashes);
  }

  @Test
  void loadWhenLibraryLoadsThenNoProblem() {
    PasswordHasher.Libargon2 loaded =
        PasswordHasher.load(() -> Argon2Factory.create(Argon2Types.ARGON2id), "Linux", "amd64");
    assertThat(loaded.problem()).isNull();
    assertThat(loaded.argon2()).isNotNull();
  }

  @Test
  void loadWhenLibraryMissingThenOneLineNamingThePlatform() {
    // The shape of JNA's error: a header, then each place it looked, one per line.
    UnsatisfiedLinkError jna = new UnsatisfiedLinkError("Unable to load library 'argon2':\n"
        + "libargon2.so: cannot open shared object file: No such file or directory\n"
        + "Native library (linux-riscv64/libargon2.so) not found in resource path (" + "/x.jar:".repeat(200) + ")");
    String message = PasswordHasher.load(() -> {
      throw jna;
    }, "Linux", "riscv64").problem();
    assertThat(message).doesNotContain("\n", "\r")
        .contains("libargon2", "Linux/riscv64", "UnsatisfiedLinkError",
            "Unable to load library 'argon2': libargon2.so: cannot open shared object file: No such file or"
                + " directory; Native library")
        .hasSizeLessThan(800);
  }

  @Test
  void loadWhenLibraryFailsAfterCreationOrWithoutMessageThenStillNamesThePlatform() {
    Argon2 failing = (Argon2) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Argon2.class},
        (proxy, method, args) -> {
          throw new NoClassDefFoundError("Could not initialize class de.mkammerer.argon2.jna.Argon2Library");
        });
    String message = PasswordHasher.load(() -> failing, "Mac OS X", "aarch64").problem();
    assertThat(message).contains("Mac OS X/aarch64", "NoClassDefFoundError", "Argon2Library");
    assertThat(PasswordHasher.load(() -> {
      throw new UnsatisfiedLinkError();
    }, "FreeBSD", "amd64").problem()).contains("FreeBSD/amd64 (UnsatisfiedLinkError)");
  }
}
