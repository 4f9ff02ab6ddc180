package com.monei.connect.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.support.TotpCodes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238: the codes of its appendix B (the SHA-1 rows), and the drift and base32 around them. */
class TotpTest {
  /** The appendix's SHA-1 seed, "12345678901234567890" in ASCII. */
  private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @CsvSource({
      "59, 94287082",
      "1111111109, 07081804",
      "1111111111, 14050471",
      "1234567890, 89005924",
      "2000000000, 69279037",
      "20000000000, 65353130"})
  void codeWhenRfcTestVectorThenItsLastSixDigits(long unixTime, String eightDigits) {
    long step = Totp.step(Instant.ofEpochSecond(unixTime));

    assertThat(Totp.code(SEED, step)).isEqualTo(eightDigits.substring(2));
    // The tests' own implementation agrees with the RFC too, so tests that use it check the server.
    assertThat(TotpCodes.code(SEED, step, 8)).isEqualTo(eightDigits);
  }

  @Test
  void matchingStepWhenOneStepOffEitherWayThenAcceptedAndTwoStepsOffThenNot() {
    byte[] secret = Totp.newSecret();
    Instant now = Instant.ofEpochSecond(1_700_000_015L);
    long step = Totp.step(now);

    assertThat(Totp.matchingStep(secret, Totp.code(secret, step), now)).hasValue(step);
    assertThat(Totp.matchingStep(secret, Totp.code(secret, step - 1), now)).hasValue(step - 1);
    assertThat(Totp.matchingStep(secret, Totp.code(secret, step + 1), now)).hasValue(step + 1);
    assertThat(Totp.matchingStep(secret, Totp.code(secret, step - 2), now)).isEmpty();
    assertThat(Totp.matchingStep(secret, Totp.code(secret, step + 2), now)).isEmpty();
  }

  @Test
  void matchingStepWhenNotSixDigitsThenEmpty() {
    byte[] secret = Totp.newSecret();
    Instant now = Instant.now();
    String code = Totp.code(secret, Totp.step(now));

    assertThat(Totp.matchingStep(secret, code + "0", now)).isEmpty();
    assertThat(Totp.matchingStep(secret, " " + code.substring(1), now)).isEmpty();
    assertThat(Totp.matchingStep(secret, "", now)).isEmpty();
    assertThat(Totp.matchingStep(secret, "١٢٣٤٥٦", now)).isEmpty();
  }

  @Test
  void base32WhenSecretThenRfc4648AndBack() {
    // RFC 4648 section 10, without padding.
    assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    byte[] secret = Totp.newSecret();
    String text = Totp.base32(secret);

    assertThat(text).hasSize(32).matches("[A-Z2-7]+");
    assertThat(Totp.fromBase32(text)).isEqualTo(secret);
    assertThat(TotpCodes.decode(text)).isEqualTo(secret);
  }

  @Test
  void uriWhenMadeThenAuthenticatorAppsCanReadIt() {
    byte[] secret = Totp.newSecret();

    assertThat(Totp.uri("Monei", "ada+1@monei.test", secret)).isEqualTo("otpauth://totp/Monei:ada%2B1%40monei.test"
        + "?secret=" + Totp.base32(secret) + "&issuer=Monei&algorithm=SHA1&digits=6&period=30");
  }
}
