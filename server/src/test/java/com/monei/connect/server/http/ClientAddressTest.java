package com.monei.connect.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client-IP rule of SPEC 1.2 as a table: socket peer, X-Forwarded-For field(s) as received
 * ({@code |} separates two fields), and the address the limits and the audit trail use.
 */
class ClientAddressTest {
  private static final TrustedProxies TRUSTED = TrustedProxies.parse("127.0.0.1, ::1, 10.0.0.0/8");

  @ParameterizedTest(name = "peer {0}, X-Forwarded-For [{1}] -> {2}")
  @CsvSource(delimiter = ';', nullValues = "NONE", value = {
      // Untrusted peers: headers ignored, whatever they say.
      "203.0.113.9; 198.51.100.1; 203.0.113.9",
      "203.0.113.9; NONE; 203.0.113.9",
      // A trusted peer: the rightmost address that is not itself trusted.
      "127.0.0.1; 198.51.100.1; 198.51.100.1",
      "127.0.0.1; 198.51.100.1, 203.0.113.5; 203.0.113.5",
      "127.0.0.1; 198.51.100.1, 203.0.113.5, 10.1.2.3; 203.0.113.5",
      "10.9.9.9; 198.51.100.1, 203.0.113.5, 10.1.2.3, 10.4.5.6; 203.0.113.5",
      "127.0.0.1; 198.51.100.1 | 203.0.113.5, 10.1.2.3; 203.0.113.5",
      // Every hop trusted: the leftmost.
      "127.0.0.1; 10.1.1.1, 10.2.2.2; 10.1.1.1",
      // No header, or an empty one: the peer.
      "127.0.0.1; NONE; 127.0.0.1",
      "127.0.0.1; '  '; 127.0.0.1",
      // Garbage is never an address: the walk ends at the last trusted hop.
      "127.0.0.1; 198.51.100.1, unknown; 127.0.0.1",
      "127.0.0.1; 198.51.100.1, evil.example; 127.0.0.1",
      "127.0.0.1; 198.51.100.1, 1.2.3, 10.1.2.3; 10.1.2.3",
      "127.0.0.1; 198.51.100.1, , 10.1.2.3; 10.1.2.3",
      "127.0.0.1; fe80::1%eth0; 127.0.0.1",
      // Garbage left of the client's own address is what the client sent: ignored.
      "127.0.0.1; <script>, 203.0.113.5; 203.0.113.5",
      // Ports and IPv6, as proxies write them; canonical form.
      "127.0.0.1; 203.0.113.5:4711; 203.0.113.5",
      "127.0.0.1; [2001:db8::7]:443; 2001:db8:0:0:0:0:0:7",
      "127.0.0.1; 2001:DB8::7; 2001:db8:0:0:0:0:0:7",
      "127.0.0.1; ::ffff:203.0.113.5; 203.0.113.5",
      "[::1]; 203.0.113.5; 203.0.113.5",
      "0:0:0:0:0:0:0:1; 203.0.113.5; 203.0.113.5"})
  void resolveWhenPeerAndForwardedForThenClientIp(String peer, String forwardedFor, String expected) {
    List<String> fields = forwardedFor == null ? List.of() : Arrays.asList(forwardedFor.split("\\|"));

    assertThat(ClientAddress.resolve(peer, false, fields, List.of(), TRUSTED).ip()).isEqualTo(expected);
  }

  @Test
  void resolveWhenEntryHasAControlCharacterThenNotAnAddress() {
    assertThat(ClientAddress.resolve("127.0.0.1", false, List.of("203.0.113.5\u0000"), List.of(), TRUSTED).ip())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void resolveWhenForwardedProtoHttpsThenSecureOnlyFromATrustedPeer() {
    assertThat(ClientAddress.resolve("127.0.0.1", false, List.of(), List.of("https"), TRUSTED).secure()).isTrue();
    assertThat(ClientAddress.resolve("127.0.0.1", false, List.of(), List.of("HTTPS"), TRUSTED).secure()).isTrue();
    assertThat(ClientAddress.resolve("127.0.0.1", false, List.of(), List.of("http"), TRUSTED).secure()).isFalse();
    assertThat(ClientAddress.resolve("127.0.0.1", false, List.of(), List.of(), TRUSTED).secure()).isFalse();
    assertThat(ClientAddress.resolve("203.0.113.9", false, List.of(), List.of("https"), TRUSTED).secure()).isFalse();
    assertThat(ClientAddress.resolve("203.0.113.9", true, List.of(), List.of(), TRUSTED).secure())
        .as("an https issuer or TLS to Monei itself").isTrue();
  }
}
