package com.monei.connect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.client.AuthorizationRequest;
import com.monei.connect.client.CallbackResult;
import com.monei.connect.client.JdbcTokenStore;
import com.monei.connect.client.MoneiConnect;
import com.monei.connect.client.Scopes;
import com.monei.connect.client.TokenStore;
import com.monei.connect.client.testing.FakeMonei;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.web.MockHttpSession;

class MoneiConnectAutoConfigurationTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  @TempDir Path dir;
  private FakeMonei fake;
  private ApplicationContextRunner runner;

  @BeforeEach
  void start() {
    fake = FakeMonei.start().balance("NGN", "5000.00");
    runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MoneiConnectAutoConfiguration.class))
        .withPropertyValues("monei.connect.issuer=" + fake.issuer(), "monei.connect.client-id=" + fake.clientId(),
            "monei.connect.client-secret=" + fake.clientSecret(), "monei.connect.redirect-uri=" + fake.redirectUri(),
            "monei.connect.retries=0");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void buildsMoneiConnectFromProperties() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(MoneiConnect.class).hasSingleBean(MoneiCallbacks.class)
          .doesNotHaveBean(TokenStore.class);
      MoneiConnect monei = context.getBean(MoneiConnect.class);
      assertThat(monei.issuer()).isEqualTo(fake.issuer());
      assertThat(monei.clientId()).isEqualTo(fake.clientId());
      AuthorizationRequest pending = monei.authorizationRequest(Scopes.WALLET_READ);
      assertThat(pending.url().toString()).contains("redirect_uri=");
      assertThat(monei.handleCallback(fake.approve(pending.url()), pending, "user-1"))
          .isInstanceOf(CallbackResult.Approved.class);
      assertThat(monei.wallet("user-1").me()).isNotNull();
    });
  }

  @Test
  void missingClientIdFailsNamingTheProperty() {
    runner.withPropertyValues("monei.connect.client-id=").run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().hasMessageContaining("monei.connect.client-id"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MoneiConnectAutoConfiguration.class))
        .withPropertyValues("monei.connect.issuer=" + fake.issuer())
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("monei.connect.client-id is missing"));
  }

  @Test
  void missingIssuerAndBlankSecretFailNamingTheProperty() {
    runner.withPropertyValues("monei.connect.issuer=").run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().hasMessageContaining("monei.connect.issuer"));
    runner.withPropertyValues("monei.connect.client-secret= ").run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().hasMessageContaining("monei.connect.client-secret"));
  }

  @Test
  void dataSourceAndKeyKeepTokensInTheDatabase() {
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
    runner.withBean(DataSource.class, () -> dataSource)
        .withPropertyValues("monei.connect.token-store.key-id=k1", "monei.connect.token-store.key=" + KEY)
        .run(context -> {
          assertThat(context).getBean(TokenStore.class).isInstanceOf(JdbcTokenStore.class);
          MoneiConnect monei = context.getBean(MoneiConnect.class);
          AuthorizationRequest pending = monei.authorizationRequest(Scopes.WALLET_READ);
          monei.handleCallback(fake.approve(pending.url()), pending, "user-1");
          try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
              ResultSet rows = s.executeQuery("SELECT user_key, key_id, sealed FROM " + JdbcTokenStore.TABLE)) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("user_key")).isEqualTo("user-1");
            assertThat(rows.getString("key_id")).isEqualTo("k1");
            assertThat(rows.getString("sealed")).doesNotContain("mct_");
          }
          assertThat(monei.wallet("user-1").me()).isNotNull();
        });
  }

  @Test
  void dataSourceWithoutKeyKeepsTokensInMemory() {
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
    runner.withBean(DataSource.class, () -> dataSource)
        .run(context -> assertThat(context).hasSingleBean(MoneiConnect.class).doesNotHaveBean(TokenStore.class));
  }

  @Test
  void badKeyFailsNamingThePropertyWithoutEchoingIt() {
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
    ApplicationContextRunner withDb = runner.withBean(DataSource.class, () -> dataSource);
    withDb.withPropertyValues("monei.connect.token-store.key-id=k1", "monei.connect.token-store.key=c2hvcnQ=")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("monei.connect.token-store.key is 5 bytes"));
    withDb.withPropertyValues("monei.connect.token-store.key-id=k1", "monei.connect.token-store.key=not*base64")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("monei.connect.token-store.key is not base64").hasMessageNotContaining("*"));
    withDb.withPropertyValues("monei.connect.token-store.key=" + KEY)
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("monei.connect.token-store.key-id is missing"));
  }

  @Test
  void userDefinedMoneiConnectWins() {
    MoneiConnect own = MoneiConnect.builder().issuer(fake.issuer()).clientId("mc_own").build();
    runner.withBean(MoneiConnect.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(MoneiConnect.class);
      assertThat(context.getBean(MoneiConnect.class)).isSameAs(own);
      assertThat(context.getBean(MoneiCallbacks.class).toString()).contains("mc_own");
    });
  }

  @Test
  void callbacksRoundTripThroughTheSession() {
    runner.run(context -> {
      MoneiCallbacks callbacks = context.getBean(MoneiCallbacks.class);
      HttpSession session = new MockHttpSession();
      URI url = callbacks.start(session, Scopes.WALLET_READ);
      String query = fake.approve(url);

      // A callback from another browser's request (wrong state) is refused and leaves this one pending.
      HttpSession other = new MockHttpSession();
      callbacks.start(other, Scopes.WALLET_READ);
      assertThat(callbacks.finish(other, query, "user-2")).isInstanceOf(CallbackResult.StateMismatch.class);
      assertThat(callbacks.finish(new MockHttpSession(), query, "user-2"))
          .isInstanceOf(CallbackResult.StateMismatch.class);

      CallbackResult result = callbacks.finish(session, query, "user-1");
      assertThat(result).isInstanceOf(CallbackResult.Approved.class);
      assertThat(session.getAttribute(MoneiCallbacks.SESSION_ATTRIBUTE)).isNull();
      assertThat(context.getBean(MoneiConnect.class).wallet("user-1").me()).isNotNull();
      assertThat(callbacks.finish(session, query, "user-1")).isInstanceOf(CallbackResult.StateMismatch.class);
      assertThat(callbacks.finish(session, null, "user-1")).isInstanceOf(CallbackResult.StateMismatch.class);
    });
  }

  @Test
  void noCallbacksWithoutTheServletApi() {
    runner.withClassLoader(new FilteredClassLoader(HttpSession.class))
        .run(context -> assertThat(context).hasSingleBean(MoneiConnect.class).doesNotHaveBean(MoneiCallbacks.class));
  }
}
