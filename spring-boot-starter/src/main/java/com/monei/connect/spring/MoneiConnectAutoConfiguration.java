package com.monei.connect.spring;

import com.monei.connect.client.JdbcTokenStore;
import com.monei.connect.client.MoneiConnect;
import com.monei.connect.client.TokenEncryption;
import com.monei.connect.client.TokenStore;
import java.util.Base64;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds a {@link MoneiConnect} from {@code monei.connect.*} unless the app defines its own. Tokens go to a
 * {@link JdbcTokenStore} on the app's {@link DataSource} when {@code monei.connect.token-store.key} is set,
 * otherwise to the SDK's in-memory store. With the servlet API present, {@link MoneiCallbacks} handles the
 * redirect and callback.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@EnableConfigurationProperties(MoneiConnectProperties.class)
public class MoneiConnectAutoConfiguration {
  private static final String PREFIX = MoneiConnectProperties.PREFIX + ".";

  @Bean
  @ConditionalOnMissingBean
  public MoneiConnect moneiConnect(MoneiConnectProperties properties, ObjectProvider<TokenStore> tokenStore) {
    MoneiConnect.Builder builder = MoneiConnect.builder()
        .issuer(required(properties.getIssuer(), "issuer"))
        .clientId(required(properties.getClientId(), "client-id"))
        .retries(properties.getRetries());
    // Unset means a public app; set but blank is a confidential app whose secret went missing.
    if (properties.getClientSecret() != null)
      builder.clientSecret(required(properties.getClientSecret(), "client-secret"));
    if (properties.getRedirectUri() != null && !properties.getRedirectUri().isBlank())
      builder.redirectUri(properties.getRedirectUri());
    tokenStore.ifAvailable(builder::tokenStore);
    return builder.build();
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank())
      throw new IllegalStateException(PREFIX + name + " is " + (value == null ? "missing" : "blank")
          + ": set it in the application's properties or environment");
    return value;
  }

  /** The database store, when the app has a DataSource and configured a key to encrypt tokens with. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(DataSource.class)
  @ConditionalOnProperty(prefix = MoneiConnectProperties.PREFIX + ".token-store", name = "key")
  static class JdbcTokenStoreConfiguration {
    @Bean
    @ConditionalOnMissingBean
    TokenStore moneiConnectTokenStore(MoneiConnectProperties properties, DataSource dataSource) {
      MoneiConnectProperties.TokenStore settings = properties.getTokenStore();
      String keyId = required(settings.getKeyId(), "token-store.key-id");
      byte[] key;
      try {
        key = Base64.getDecoder().decode(settings.getKey().strip());
      } catch (IllegalArgumentException e) {
        // The decoder's message would echo part of the key.
        throw new IllegalStateException(PREFIX + "token-store.key is not base64: give the 32-byte key in base64");
      }
      if (key.length != 32)
        throw new IllegalStateException(PREFIX + "token-store.key is " + key.length
            + " bytes: give a 32-byte (AES-256) key in base64");
      return new JdbcTokenStore(dataSource, TokenEncryption.aesGcm(keyId, key));
    }
  }

  /** The session-backed redirect and callback helper, for servlet apps. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "jakarta.servlet.http.HttpSession")
  static class CallbacksConfiguration {
    @Bean
    @ConditionalOnMissingBean
    MoneiCallbacks moneiCallbacks(MoneiConnect moneiConnect) {
      return new MoneiCallbacks(moneiConnect);
    }
  }
}
