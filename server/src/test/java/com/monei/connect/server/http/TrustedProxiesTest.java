package com.monei.connect.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.monei.connect.server.Config;
import com.monei.connect.server.validation.ValidationException;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MONEI_TRUSTED_PROXIES: literal addresses and CIDR blocks only, checked at start-up. */
class TrustedProxiesTest {
  private static final TrustedProxies PROXIES =
      TrustedProxies.parse(" 10.0.0.0/8, 192.0.2.7 ,172.16.5.9/12, ::1, 2001:db8::/32, 198.51.100.0/31");

  @ParameterizedTest(name = "{0} trusted: {1}")
  @CsvSource({
      "10.0.0.1, true", "10.255.255.255, true", "11.0.0.0, false", "9.255.255.255, false",
      "192.0.2.7, true", "192.0.2.8, false",
      "172.16.0.1, true", "172.31.255.255, true", "172.32.0.0, false",
      "198.51.100.0, true", "198.51.100.1, true", "198.51.100.2, false",
      "::1, true", "::2, false", "2001:db8:ffff::1, true", "2001:db9::1, false",
      "::ffff:10.1.2.3, true"})
  void containsWhenAddressGivenThenMatchesItsBlocks(String address, boolean trusted) throws Exception {
    assertThat(PROXIES.contains(InetAddress.getByName(address))).isEqualTo(trusted);
  }

  @ParameterizedTest(name = "[{0}] refused")
  @ValueSource(strings = {"localhost", "proxy.internal", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/-1",
      "10.0.0.0/8/8", "010.0.0.1", "10.0.0", "256.0.0.1", "1.2.3.4.5", "fe80::1%eth0", "[::1]", "::g",
      "10.0.0.1,", "10.0.0.1,,10.0.0.2", "*", "0x7f.0.0.1"})
  void parseWhenEntryIsNotALiteralAddressOrBlockThenRefused(String value) {
    assertThatThrownBy(() -> TrustedProxies.parse(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parseWhenBlankThenNone() {
    assertThat(TrustedProxies.parse(" ").isEmpty()).isTrue();
    assertThat(TrustedProxies.parse(null).isEmpty()).isTrue();
  }

  @Test
  void configWhenVariableInvalidThenOneLineValidationErrorNamingIt() {
    Config base = Config.defaults(8080);
    assertThatThrownBy(() -> Config.withEnvironment(base, Map.of("MONEI_TRUSTED_PROXIES", "10.0.0.0/8, lb\n.local")))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("MONEI_TRUSTED_PROXIES ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void configWhenVariableSetThenParsedAndUnsetThenNone() throws Exception {
    Config base = Config.defaults(8080);
    assertThat(base.trustedProxies().isEmpty()).isTrue();
    Config behindProxy = Config.withEnvironment(base, Map.of("MONEI_TRUSTED_PROXIES", "10.0.0.0/8"));
    assertThat(behindProxy.trustedProxies().contains(InetAddress.getByName("10.1.1.1"))).isTrue();
    assertThat(behindProxy.withPort(9090).trustedProxies()).isSameAs(behindProxy.trustedProxies());
  }
}
