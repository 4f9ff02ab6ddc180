package com.monei.connect.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a query string or form body may hold: any well-formed UTF-8 a browser sends, nothing else. */
class RequestEncodingTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "a=b", "name=Caf%C3%A9+Shop", "name=Café",
      "redirect_uris=https%3A%2F%2Fa%2Fcb%0D%0Ahttp%3A%2F%2Flocalhost%2Fcb", "note=%E2%82%AC5+%F0%9F%98%80",
      "a=&b=&=c", "scope=wallet%3Aread+profile%3Aread", "tab=%09", "q=%2525"})
  void isWellFormedWhenBrowserWouldSendItThenTrue(String raw) {
    assertThat(RequestEncoding.isWellFormed(raw.getBytes(StandardCharsets.UTF_8), true)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a=%", "a=%4", "a=%ZZ", "a=%G1", "a=%C3%28", "a=%FF", "a=%ED%A0%80", "a=%C0%AF",
      "a=%00", "a=b%00c", "a=%01", "a=%1B[31m", "a=%7F%00"})
  void isWellFormedWhenBadEscapeInvalidUtf8OrControlThenFalse(String raw) {
    assertThat(RequestEncoding.isWellFormed(raw.getBytes(StandardCharsets.UTF_8), true)).isFalse();
  }
}
