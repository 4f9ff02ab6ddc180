package com.monei.connect.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.support.FreshDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The app and its valid secrets in one read (client authentication): the join repeats URIs and
 * secrets, and the store must hand back each once, in order, and only the secrets valid at the time.
 */
class JdbcAppStoreTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final List<String> URIS = List.of("https://a.example/cb", "https://b.example/cb", "https://c.example/cb");

  @RegisterExtension final FreshDatabase database = new FreshDatabase();
  JdbcAppStore apps;

  @BeforeEach
  void open() {
    apps = new JdbcAppStore(database.db());
  }

  @Test
  void findWithSecretsWhenThreeUrisAndSecretsInOverlapThenEachOnceAndOnlyTheValidOnes() {
    apps.create(new RegisteredApp("mc_rotating", "Rotating", false, URIS, false, null, false), "h1", null, T0);
    // h1 is valid until T0+60m; rotated again at T0+10m, h2 until T0+70m; h3 is current.
    apps.rotateSecret("mc_rotating", "h2", T0, T0.plus(Duration.ofMinutes(60)));
    apps.rotateSecret("mc_rotating", "h3", T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(70)));

    AppStore.WithSecrets during = apps.findWithSecrets("mc_rotating", T0.plus(Duration.ofMinutes(30))).orElseThrow();
    assertThat(during.app()).isEqualTo(apps.find("mc_rotating").orElseThrow());
    assertThat(during.app().redirectUris()).containsExactlyElementsOf(URIS);
    assertThat(during.validSecretHashes()).containsExactlyInAnyOrder("h1", "h2", "h3");

    AppStore.WithSecrets later = apps.findWithSecrets("mc_rotating", T0.plus(Duration.ofMinutes(65))).orElseThrow();
    assertThat(later.app().redirectUris()).containsExactlyElementsOf(URIS);
    assertThat(later.validSecretHashes()).containsExactlyInAnyOrder("h2", "h3");

    AppStore.WithSecrets after = apps.findWithSecrets("mc_rotating", T0.plus(Duration.ofDays(1))).orElseThrow();
    assertThat(after.validSecretHashes()).containsExactly("h3");
  }

  @Test
  void findWithSecretsWhenPublicAppThenItsUrisAndNoSecret() {
    apps.create(new RegisteredApp("mc_public", "Public", true, URIS, false, null, false), null, null, T0);

    AppStore.WithSecrets found = apps.findWithSecrets("mc_public", T0).orElseThrow();

    assertThat(found.app().isPublic()).isTrue();
    assertThat(found.app().redirectUris()).containsExactlyElementsOf(URIS);
    assertThat(found.validSecretHashes()).isEmpty();
  }

  @Test
  void findWithSecretsWhenNoRedirectUriThenTheSecretStillFound() {
    apps.create(new RegisteredApp("mc_bare", "Bare", false, List.of(), false, null, true), "h1", null, T0);

    AppStore.WithSecrets found = apps.findWithSecrets("mc_bare", T0).orElseThrow();

    assertThat(found.app().redirectUris()).isEmpty();
    assertThat(found.validSecretHashes()).containsExactly("h1");
  }

  @Test
  void findWithSecretsWhenUnknownAppThenEmpty() {
    assertThat(apps.findWithSecrets("mc_nobody", T0)).isEmpty();
  }
}
