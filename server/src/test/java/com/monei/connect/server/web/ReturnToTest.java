package com.monei.connect.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC 1.2: a return_to after login is same-origin only, so the login page is never an open redirect. */
class ReturnToTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @MethodSource("cases")
  void safeWhenReturnToGivenThenSameOriginPathOrRoot(String returnTo, String expected) {
    assertThat(ReturnTo.safe(returnTo)).isEqualTo(expected);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // same-origin paths are kept as they are
        Arguments.of("/ok", "/ok"),
        Arguments.of("/a?b=c", "/a?b=c"),
        Arguments.of("/", "/"),
        Arguments.of("/connect/authorize?client_id=mc_x&scope=wallet%3Aread&state=s",
            "/connect/authorize?client_id=mc_x&scope=wallet%3Aread&state=s"),
        Arguments.of("/account/connections#top", "/account/connections#top"),
        // anything that can leave the origin falls back to /
        Arguments.of("https://evil", "/"),
        Arguments.of("http://evil.example/path", "/"),
        Arguments.of("//evil", "/"),
        Arguments.of("//evil.example/a", "/"),
        Arguments.of("/\\evil", "/"),
        Arguments.of("\\\\evil", "/"),
        Arguments.of("/\t/evil", "/"),
        Arguments.of(" /ok", "/"),
        Arguments.of("\t//evil", "/"),
        Arguments.of("", "/"),
        Arguments.of(null, "/"),
        Arguments.of("javascript:alert(1)", "/"),
        Arguments.of("JavaScript:alert(1)", "/"),
        Arguments.of("data:text/html,<script>alert(1)</script>", "/"),
        Arguments.of("evil.example", "/"),
        Arguments.of("ok", "/"),
        // header injection
        Arguments.of("/x\r\nSet-Cookie", "/"),
        Arguments.of("/x\nSet-Cookie: a=b", "/"),
        Arguments.of("/x\rLocation: https://evil", "/"));
  }
}
