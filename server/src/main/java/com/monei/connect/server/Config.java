package com.monei.connect.server;

import com.monei.connect.server.account.Sessions;
import com.monei.connect.server.http.TrustedProxies;
import com.monei.connect.server.validation.ValidationException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every setting of a server process, immutable. Each default is written once, here.
 */
public record Config(
    int port,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String issuer,
    Duration codeTtl,
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    Duration refreshGrace,
    int loginMaxFailures,
    String sessionCookie,
    Duration secretRotationOverlap,
    TrustedProxies trustedProxies,
    Duration sessionIdle,
    String metricsToken,
    BigDecimal sendConfirmAbove,
    Duration confirmationTtl) {

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_DB_URL = "jdbc:sqlite:data/monei.db";
  public static final Duration DEFAULT_CODE_TTL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofSeconds(3600);
  public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofDays(30);
  public static final Duration DEFAULT_REFRESH_GRACE = Duration.ofSeconds(30);
  public static final Duration MAX_REFRESH_GRACE = Duration.ofSeconds(60);
  public static final int DEFAULT_LOGIN_MAX_FAILURES = 5;
  public static final String DEFAULT_SESSION_COOKIE = "monei_session";
  /** How long an app's previous client secret keeps working after the developer rotates it. */
  public static final Duration DEFAULT_SECRET_ROTATION_OVERLAP = Duration.ofHours(24);
  /** A browser session unused this long is signed out (it ends 12 hours after sign-in regardless). */
  public static final Duration DEFAULT_SESSION_IDLE = Duration.ofSeconds(1800);
  /** Longer would mean nothing: a session ends 12 hours after sign-in anyway. */
  public static final Duration MAX_SESSION_IDLE = Sessions.LIFETIME;
  /** How long a send confirmation waits for the user's answer. */
  public static final Duration DEFAULT_CONFIRMATION_TTL = Duration.ofSeconds(600);
  /** The operator's floor is a plain decimal, compared with each send in the send's own currency. */
  private static final Pattern PLAIN_DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,17})(\\.[0-9]{1,18})?");

  public Config {
    if (port < 0 || port > 65535) throw new ValidationException("port must be 0-65535");
    if (dbUrl == null || !(dbUrl.startsWith("jdbc:sqlite:") || dbUrl.startsWith("jdbc:postgresql:")))
      throw new ValidationException("database URL must start with jdbc:sqlite: or jdbc:postgresql:");
    requirePositive(codeTtl, "MONEI_CODE_TTL");
    requirePositive(accessTokenTtl, "MONEI_ACCESS_TOKEN_TTL");
    requirePositive(refreshTokenTtl, "MONEI_REFRESH_TOKEN_TTL");
    if (refreshGrace.isNegative() || refreshGrace.compareTo(MAX_REFRESH_GRACE) > 0)
      throw new ValidationException("MONEI_REFRESH_GRACE must be 0-60 seconds");
    if (loginMaxFailures < 1) throw new ValidationException("MONEI_LOGIN_MAX_FAILURES must be at least 1");
    if (secretRotationOverlap == null || secretRotationOverlap.isNegative())
      throw new ValidationException("MONEI_SECRET_ROTATION_OVERLAP must be zero or more seconds");
    if (trustedProxies == null) trustedProxies = TrustedProxies.NONE;
    if (sessionIdle == null || sessionIdle.isZero() || sessionIdle.isNegative()
        || sessionIdle.compareTo(MAX_SESSION_IDLE) > 0)
      throw new ValidationException("MONEI_SESSION_IDLE must be 1-" + MAX_SESSION_IDLE.toSeconds() + " seconds");
    issuer = issuer == null || issuer.isBlank() ? defaultIssuer(port) : stripTrailingSlash(issuer);
    metricsToken = metricsToken == null || metricsToken.isBlank() ? null : metricsToken.strip();
    if (sendConfirmAbove != null && sendConfirmAbove.signum() < 0)
      throw new ValidationException("MONEI_SEND_CONFIRM_ABOVE must be zero or more");
    requirePositive(confirmationTtl, "MONEI_CONFIRMATION_TTL");
  }

  /** Defaults for everything, listening on {@code port}. */
  public static Config defaults(int port) {
    return new Config(port, DEFAULT_DB_URL, null, null, null, DEFAULT_CODE_TTL, DEFAULT_ACCESS_TOKEN_TTL,
        DEFAULT_REFRESH_TOKEN_TTL, DEFAULT_REFRESH_GRACE, DEFAULT_LOGIN_MAX_FAILURES, DEFAULT_SESSION_COOKIE,
        DEFAULT_SECRET_ROTATION_OVERLAP, TrustedProxies.NONE, DEFAULT_SESSION_IDLE, null, null,
        DEFAULT_CONFIRMATION_TTL);
  }

  /** The lifetimes and limits read from {@code MONEI_*} variables, on top of {@code base}. */
  public static Config withEnvironment(Config base, Map<String, String> env) {
    return new Config(base.port, base.dbUrl, env.getOrDefault("MONEI_DB_USER", base.dbUser),
        env.getOrDefault("MONEI_DB_PASSWORD", base.dbPassword), base.issuer,
        seconds(env, "MONEI_CODE_TTL", base.codeTtl),
        seconds(env, "MONEI_ACCESS_TOKEN_TTL", base.accessTokenTtl),
        seconds(env, "MONEI_REFRESH_TOKEN_TTL", base.refreshTokenTtl),
        seconds(env, "MONEI_REFRESH_GRACE", base.refreshGrace),
        integer(env, "MONEI_LOGIN_MAX_FAILURES", base.loginMaxFailures), base.sessionCookie,
        seconds(env, "MONEI_SECRET_ROTATION_OVERLAP", base.secretRotationOverlap),
        trustedProxies(env, base.trustedProxies),
        seconds(env, "MONEI_SESSION_IDLE", base.sessionIdle),
        env.getOrDefault("MONEI_METRICS_TOKEN", base.metricsToken),
        amount(env, "MONEI_SEND_CONFIRM_ABOVE", base.sendConfirmAbove),
        seconds(env, "MONEI_CONFIRMATION_TTL", base.confirmationTtl));
  }

  /**
   * What {@code demo} reads of the environment (SPEC 3): the lifetimes of SPEC 1.5 and the operator's
   * floor for send confirmations, nothing else, so the demo always looks the same.
   */
  public static Config withDemoEnvironment(Config base, Map<String, String> env) {
    Builder b = base.toBuilder();
    b.codeTtl = seconds(env, "MONEI_CODE_TTL", base.codeTtl);
    b.accessTokenTtl = seconds(env, "MONEI_ACCESS_TOKEN_TTL", base.accessTokenTtl);
    b.refreshTokenTtl = seconds(env, "MONEI_REFRESH_TOKEN_TTL", base.refreshTokenTtl);
    b.refreshGrace = seconds(env, "MONEI_REFRESH_GRACE", base.refreshGrace);
    b.sendConfirmAbove = amount(env, "MONEI_SEND_CONFIRM_ABOVE", base.sendConfirmAbove);
    return b.build();
  }

  public Config withPort(int value) {
    Builder b = toBuilder();
    b.port = value;
    return b.build();
  }

  public Config withDb(String value) {
    Builder b = toBuilder();
    b.dbUrl = value;
    return b.build();
  }

  public Config withDbCredentials(String user, String password) {
    Builder b = toBuilder();
    b.dbUser = user;
    b.dbPassword = password;
    return b.build();
  }

  /** {@code null} means the default, {@code http://localhost:<port>}. */
  public Config withIssuer(String value) {
    Builder b = toBuilder();
    b.issuer = value;
    return b.build();
  }

  public Config withCodeTtl(Duration value) {
    Builder b = toBuilder();
    b.codeTtl = value;
    return b.build();
  }

  public Config withAccessTokenTtl(Duration value) {
    Builder b = toBuilder();
    b.accessTokenTtl = value;
    return b.build();
  }

  public Config withRefreshTokenTtl(Duration value) {
    Builder b = toBuilder();
    b.refreshTokenTtl = value;
    return b.build();
  }

  public Config withRefreshGrace(Duration value) {
    Builder b = toBuilder();
    b.refreshGrace = value;
    return b.build();
  }

  public Config withLoginMaxFailures(int value) {
    Builder b = toBuilder();
    b.loginMaxFailures = value;
    return b.build();
  }

  public Config withSessionCookie(String value) {
    Builder b = toBuilder();
    b.sessionCookie = value;
    return b.build();
  }

  public Config withSecretRotationOverlap(Duration value) {
    Builder b = toBuilder();
    b.secretRotationOverlap = value;
    return b.build();
  }

  public Config withTrustedProxies(TrustedProxies value) {
    Builder b = toBuilder();
    b.trustedProxies = value;
    return b.build();
  }

  public Config withSessionIdle(Duration value) {
    Builder b = toBuilder();
    b.sessionIdle = value;
    return b.build();
  }

  /** The bearer token GET /metrics requires; {@code null} or blank turns /metrics off (404). */
  public Config withMetricsToken(String value) {
    Builder b = toBuilder();
    b.metricsToken = value;
    return b.build();
  }

  /** Sends of more than this amount, in any currency, need the user's confirmation; null: no floor. */
  public Config withSendConfirmAbove(BigDecimal value) {
    Builder b = toBuilder();
    b.sendConfirmAbove = value;
    return b.build();
  }

  public Config withConfirmationTtl(Duration value) {
    Builder b = toBuilder();
    b.confirmationTtl = value;
    return b.build();
  }

  /** A mutable copy; an issuer that was only the port's default stays a default, so a new port moves it. */
  private Builder toBuilder() {
    Builder b = new Builder();
    b.port = port;
    b.dbUrl = dbUrl;
    b.dbUser = dbUser;
    b.dbPassword = dbPassword;
    b.issuer = issuer.equals(defaultIssuer(port)) ? null : issuer;
    b.codeTtl = codeTtl;
    b.accessTokenTtl = accessTokenTtl;
    b.refreshTokenTtl = refreshTokenTtl;
    b.refreshGrace = refreshGrace;
    b.loginMaxFailures = loginMaxFailures;
    b.sessionCookie = sessionCookie;
    b.secretRotationOverlap = secretRotationOverlap;
    b.trustedProxies = trustedProxies;
    b.sessionIdle = sessionIdle;
    b.metricsToken = metricsToken;
    b.sendConfirmAbove = sendConfirmAbove;
    b.confirmationTtl = confirmationTtl;
    return b;
  }

  private static final class Builder {
    int port;
    String dbUrl;
    String dbUser;
    String dbPassword;
    String issuer;
    Duration codeTtl;
    Duration accessTokenTtl;
    Duration refreshTokenTtl;
    Duration refreshGrace;
    int loginMaxFailures;
    String sessionCookie;
    Duration secretRotationOverlap;
    TrustedProxies trustedProxies;
    Duration sessionIdle;
    String metricsToken;
    BigDecimal sendConfirmAbove;
    Duration confirmationTtl;

    Config build() {
      return new Config(port, dbUrl, dbUser, dbPassword, issuer, codeTtl, accessTokenTtl, refreshTokenTtl,
          refreshGrace, loginMaxFailures, sessionCookie, secretRotationOverlap, trustedProxies, sessionIdle,
          metricsToken, sendConfirmAbove, confirmationTtl);
    }
  }

  /** A record's own toString would print the database password and the metrics token. */
  @Override
  public String toString() {
    return "Config[port=" + port + ", dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", issuer=" + issuer
        + ", dbPassword=" + (dbPassword == null ? "unset" : "***") + ", metricsToken="
        + (metricsToken == null ? "unset" : "***") + "]";
  }

  private static String defaultIssuer(int port) {
    return "http://localhost:" + port;
  }

  /** Cookies are marked Secure whenever the issuer is served over https. */
  public boolean secureCookies() {
    return issuer.startsWith("https://");
  }

  /**
   * Ten years: far beyond any sensible lifetime, and far below what would overflow the time
   * arithmetic (an instant plus the lifetime) into an error on every request.
   */
  static final long MAX_SECONDS = 315_360_000L;

  private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) return fallback;
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new ValidationException(name + " must be a whole number of seconds");
    }
    if (parsed > MAX_SECONDS) throw new ValidationException(name + " must be at most " + MAX_SECONDS + " seconds");
    return Duration.ofSeconds(parsed);
  }

  private static BigDecimal amount(Map<String, String> env, String name, BigDecimal fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) return fallback;
    if (!PLAIN_DECIMAL.matcher(value.strip()).matches())
      throw new ValidationException(name + " must be a plain decimal amount such as 50.00");
    return new BigDecimal(value.strip());
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ValidationException(name + " must be a whole number");
    }
  }

  private static TrustedProxies trustedProxies(Map<String, String> env, TrustedProxies fallback) {
    String value = env.get("MONEI_TRUSTED_PROXIES");
    if (value == null || value.isBlank()) return fallback;
    try {
      return TrustedProxies.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("MONEI_TRUSTED_PROXIES must be comma-separated IP addresses or CIDR blocks: "
          + e.getMessage());
    }
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) throw new ValidationException(name + " must be positive");
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
