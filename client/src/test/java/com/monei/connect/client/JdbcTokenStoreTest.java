package com.monei.connect.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The JDBC store on SQLite (a temp file) and, when MONEI_TEST_PG_URL is set (as the CI run does), on
 * PostgreSQL at MONEI_TEST_PG_URL / MONEI_TEST_PG_USER (the variables the server's tests use).
 */
class JdbcTokenStoreTest {
  private static final Instant EXPIRES = Instant.parse("2030-01-01T01:00:00Z");
  private static final byte[] KEY_A = filled(1);
  private static final byte[] KEY_B = filled(2);

  @TempDir
  static Path dir;

  private final List<Runnable> cleanups = new ArrayList<>();

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("sqlite"), Arguments.of("postgres"));
  }

  private DataSource database(String kind) throws SQLException {
    if (kind.equals("sqlite")) {
      SQLiteDataSource sqlite = new SQLiteDataSource();
      sqlite.setUrl("jdbc:sqlite:" + dir.resolve("tokens-" + System.nanoTime() + ".db"));
      return sqlite;
    }
    String url = System.getenv("MONEI_TEST_PG_URL");
    assumeTrue(url != null && !url.isBlank(), "PostgreSQL tests run when MONEI_TEST_PG_URL is set (as in CI)");
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(url);
    pg.setUser(System.getenv().getOrDefault("MONEI_TEST_PG_USER", "monei"));
    String password = System.getenv("MONEI_TEST_PG_PASSWORD");
    if (password != null) pg.setPassword(password);
    execute(pg, "DROP TABLE IF EXISTS " + JdbcTokenStore.TABLE);
    cleanups.add(() -> execute(pg, "DROP TABLE IF EXISTS " + JdbcTokenStore.TABLE));
    return pg;
  }

  @AfterEach
  void cleanUp() {
    cleanups.forEach(Runnable::run);
  }

  private static void execute(DataSource db, String sql) {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rowText(DataSource db, String userKey) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT * FROM " + JdbcTokenStore.TABLE + " WHERE user_key = ?")) {
      s.setString(1, userKey);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) all.append(rs.getString(i)).append('|');
        return all.toString();
      }
    }
  }

  private static StoredTokens tokens(String n) {
    return new StoredTokens("mct_access" + n, "mcr_refresh" + n, EXPIRES, Set.of("wallet:read", "wallet:send"),
        SendLimit.of(new BigDecimal("5000.00"), "NGN", 24, new BigDecimal("1000.00")), EXPIRES.minusSeconds(3600));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void saveThenLoadWhenSameKeyThenEveryFieldReadsBackAndNothingInPlaintext(String kind) throws SQLException {
    DataSource db = database(kind);
    JdbcTokenStore store = new JdbcTokenStore(db, TokenEncryption.aesGcm("k1", KEY_A));
    StoredTokens saved = tokens("1");

    store.save("user-1", saved);

    assertThat(store.load("user-1")).contains(saved);
    assertThat(store.load("user-1").orElseThrow().sendLimit().confirmAbove()).contains(new BigDecimal("1000.00"));
    assertThat(store.load("nobody")).isEmpty();
    String row = rowText(db, "user-1");
    assertThat(row).contains("user-1", "k1").doesNotContain("mct_", "mcr_", "wallet:", "NGN", "2030");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void saveWhenUserHasTokensThenReplacedAndDeleteForgets(String kind) throws SQLException {
    JdbcTokenStore store = new JdbcTokenStore(database(kind), TokenEncryption.aesGcm("k1", KEY_A));
    store.save("u", tokens("1"));
    store.save("u", tokens("2"));
    assertThat(store.load("u").orElseThrow().refreshToken()).isEqualTo("mcr_refresh2");
    store.delete("u");
    store.delete("u");
    assertThat(store.load("u")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void loadWhenKeyRotatedThenOldRowsReadAndRewrittenWithNewKeyOnSave(String kind) throws SQLException {
    DataSource db = database(kind);
    new JdbcTokenStore(db, TokenEncryption.aesGcm("old", KEY_A)).save("u", tokens("1"));
    JdbcTokenStore rotated = new JdbcTokenStore(db, TokenEncryption.aesGcm("new", KEY_B).withPreviousKey("old", KEY_A));

    StoredTokens loaded = rotated.load("u").orElseThrow();
    assertThat(loaded).isEqualTo(tokens("1"));
    assertThat(rowText(db, "u")).contains("|old|");
    rotated.save("u", loaded);
    assertThat(rowText(db, "u")).contains("|new|");
    assertThat(new JdbcTokenStore(db, TokenEncryption.aesGcm("new", KEY_B)).load("u")).contains(tokens("1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void loadWhenWrongKeyOrUnknownKeyIdThenClearError(String kind) throws SQLException {
    DataSource db = database(kind);
    new JdbcTokenStore(db, TokenEncryption.aesGcm("k1", KEY_A)).save("u", tokens("1"));

    assertThatThrownBy(() -> new JdbcTokenStore(db, TokenEncryption.aesGcm("k1", KEY_B)).load("u"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("do not decrypt with key id \"k1\"");
    assertThatThrownBy(() -> new JdbcTokenStore(db, TokenEncryption.aesGcm("k2", KEY_B)).load("u"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("key id \"k1\"")
        .hasMessageContaining("withPreviousKey");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void loadWhenRowMovedToAnotherUserThenDoesNotDecrypt(String kind) throws SQLException {
    DataSource db = database(kind);
    JdbcTokenStore store = new JdbcTokenStore(db, TokenEncryption.aesGcm("k1", KEY_A));
    store.save("victim", tokens("1"));
    store.save("attacker", tokens("2"));
    execute(db, "UPDATE " + JdbcTokenStore.TABLE + " SET sealed = (SELECT sealed FROM " + JdbcTokenStore.TABLE
        + " WHERE user_key = 'victim') WHERE user_key = 'attacker'");

    assertThatThrownBy(() -> store.load("attacker")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("altered");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void saveWhenManyUsersConcurrentlyThenEachKeepsItsOwnTokens(String kind) throws Exception {
    JdbcTokenStore store = new JdbcTokenStore(database(kind), TokenEncryption.aesGcm("k1", KEY_A));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> saves = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int user = i;
        saves.add(pool.submit(() -> store.save("user-" + user, tokens(Integer.toString(user)))));
      }
      for (Future<?> f : saves) f.get();
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < 40; i++)
      assertThat(store.load("user-" + i).orElseThrow().accessToken()).isEqualTo("mct_access" + i);
  }

  @Test
  void aesGcmWhenKeyNotThirtyTwoBytesThenClearError() {
    assertThatThrownBy(() -> TokenEncryption.aesGcm("k1", new byte[16])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> TokenEncryption.aesGcm("k1", KEY_A).withPreviousKey("k0", new byte[31]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> TokenEncryption.aesGcm("", KEY_A)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenEncryption.aesGcm("k1", KEY_A).withPreviousKey("k1", KEY_B))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already in use");
  }

  @Test
  void sealWhenSameTokensTwiceThenDifferentCiphertexts() {
    TokenEncryption encryption = TokenEncryption.aesGcm("k1", KEY_A);
    byte[] plain = JdbcTokenStore.encode(tokens("1"));
    assertThat(encryption.seal("u", plain)).isNotEqualTo(encryption.seal("u", plain));
    assertThat(encryption.toString()).doesNotContain(Arrays.toString(KEY_A));
  }

  @Test
  void storeWhenUsedByTheSdkThenRefreshRotatesThroughIt() throws SQLException {
    JdbcTokenStore store = new JdbcTokenStore(database("sqlite"), TokenEncryption.aesGcm("k1", KEY_A));
    store.save("u", new StoredTokens("mct_0", "mcr_0", Instant.parse("2020-01-01T00:00:00Z"), Set.of("wallet:read")));
    try (FakeMonei fake = FakeMonei.answering(r -> r.path().equals("/api/v1/connect/token")
        ? FakeMonei.Response.json(200, FakeMonei.tokenBody("mct_1", "mcr_1", List.of("wallet:read"), null))
        : FakeMonei.Response.json(200, "{\"wallet_id\":\"wal_1\",\"balances\":[]}"))) {
      MoneiConnect.builder().issuer(fake.url()).clientId("mc_app").clientSecret("mcs_secret").tokenStore(store)
          .build().wallet("u").me();
      assertThat(fake.requests.get(1).header("Authorization")).isEqualTo("Bearer mct_1");
    }
    assertThat(store.load("u").orElseThrow().refreshToken()).isEqualTo("mcr_1");
  }
}
