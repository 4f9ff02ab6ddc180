package com.monei.connect.server.account;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.ServerKeyCipher;
import com.monei.connect.server.token.ServerKeyStore;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Two-step verification with an authenticator app (SPEC 7): enrolment, the codes' single use,
 * recovery codes, and turning it off, by the user or an operator. The TOTP secret is kept sealed
 * with AES-256-GCM under a server key of its own, bound to its user; recovery codes only as hashes.
 * Every change ends the user's other sessions and is audited, in the transaction that makes it.
 */
public final class TwoStepVerification implements SecondFactor {
  /** The name authenticator apps show beside the account. */
  public static final String ISSUER = "Monei";
  private static final String KEY_NAME = "totp-secret";

  private final TotpStore totp;
  private final RecoveryCodeStore recovery;
  private final Passkeys passkeys;
  private final UserStore users;
  private final LoginAttempts attempts;
  private final Sessions sessions;
  private final ServerKeyCipher cipher;
  private final AuditLog audit;
  private final Transactions tx;
  private final Clock clock;

  public TwoStepVerification(TotpStore totp, RecoveryCodeStore recovery, Passkeys passkeys, UserStore users,
      LoginAttempts attempts, Sessions sessions, ServerKeyStore keys, AuditLog audit, Transactions tx, Clock clock) {
    this.totp = totp;
    this.passkeys = passkeys;
    this.recovery = recovery;
    this.users = users;
    this.attempts = attempts;
    this.sessions = sessions;
    this.cipher = new ServerKeyCipher(keys, KEY_NAME);
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
  }

  /** What the security page shows: whether it is on, and how many recovery codes are left. */
  public record Status(boolean enabled, int recoveryCodesLeft) {}

  /** A secret being enrolled, as the user types or scans it. */
  public record Enrolment(String secret, String uri) {}

  /** The outcome of a change that needs proof from the user. */
  public enum Check { OK, WRONG, THROTTLED }

  /** What a change by the user did; {@code recoveryCodes} are the new codes to show once, if any. */
  public record Change(Check check, List<String> recoveryCodes) {}

  /** What an operator's reset removed. */
  public record Reset(String userId, boolean wasEnabled, int removedRecoveryCodes, int removedPasskeys,
      int endedSessions) {}

  public Status status(String userId) {
    boolean on = enabled(userId);
    return new Status(on, on ? recovery.count(userId) : 0);
  }

  @Override
  public boolean enabled(String userId) {
    return totp.find(userId).map(TotpStore.Stored::confirmed).orElse(false);
  }

  @Override
  public boolean verify(String userId, String code) {
    String typed = code == null ? "" : code.strip();
    if (Totp.looksLikeCode(typed)) {
      Optional<TotpStore.Stored> stored = totp.find(userId).filter(TotpStore.Stored::confirmed);
      if (stored.isEmpty()) return false;
      OptionalLong step = Totp.matchingStep(open(userId, stored.get().sealedSecret()), typed, clock.instant());
      // A step at or before the last one used is a replay, or an older code after a newer one.
      return step.isPresent() && step.getAsLong() > stored.get().lastUsedStep()
          && totp.useStep(userId, step.getAsLong());
    }
    String normalized = RecoveryCodes.normalize(typed);
    if (normalized == null || !enabled(userId)) return false;
    return tx.inTransaction(() -> {
      if (!recovery.consume(userId, RecoveryCodes.hash(userId, normalized))) return false;
      audit.record(AuditLog.RECOVERY_CODE_USED, userId, null, null, recovery.count(userId) + " left");
      return true;
    });
  }

  /**
   * Starts enrolling a new secret for the user, replacing any enrolment in progress; empty when the
   * user has two-step verification on already (it must be turned off first).
   */
  public Optional<Enrolment> start(User user) {
    byte[] secret = Totp.newSecret();
    if (!totp.savePending(user.id(), seal(user.id(), secret), clock.instant())) return Optional.empty();
    return Optional.of(enrolment(user, secret));
  }

  /** The enrolment in progress of the user, to show again after a wrong confirming code. */
  public Optional<Enrolment> pending(User user) {
    return totp.find(user.id()).filter(s -> !s.confirmed())
        .map(s -> enrolment(user, open(user.id(), s.sealedSecret())));
  }

  /**
   * Turns two-step verification on when {@code code} is a current code of the pending secret, and
   * returns the recovery codes to show once; ends the user's sessions but {@code keep}. WRONG when
   * the code is wrong or nothing is being enrolled.
   */
  public Change confirm(User user, String code, Session keep) {
    Optional<TotpStore.Stored> pending = totp.find(user.id()).filter(s -> !s.confirmed());
    if (pending.isEmpty()) return new Change(Check.WRONG, List.of());
    String sealed = pending.get().sealedSecret();
    OptionalLong step = Totp.matchingStep(open(user.id(), sealed), code == null ? "" : code.strip(),
        clock.instant());
    if (step.isEmpty()) return new Change(Check.WRONG, List.of());
    List<String> codes = RecoveryCodes.generate();
    boolean confirmed = tx.inTransaction(() -> {
      // The confirming code counts as used: it cannot sign in a second time.
      if (!totp.confirm(user.id(), sealed, step.getAsLong(), clock.instant())) return false;
      recovery.replaceAll(user.id(), RecoveryCodes.hashes(user.id(), codes));
      int ended = sessions.endAllOf(user.id(), keep);
      audit.record(AuditLog.TWO_STEP_ENABLED, user.id(), null, null, ended + " other sessions ended");
      return true;
    });
    return confirmed ? new Change(Check.OK, codes) : new Change(Check.WRONG, List.of());
  }

  /**
   * Turns two-step verification off when the password and a current code (or an unused recovery
   * code) are right, counted against the sign-in limits like a sign-in; ends the user's sessions but
   * {@code keep}.
   */
  public Change disable(User user, String password, String code, String ip, Session keep) {
    Check check = prove(user, password, code, ip, true);
    if (check != Check.OK) return new Change(check, List.of());
    tx.inTransaction(() -> {
      totp.delete(user.id());
      int codes = recovery.deleteAll(user.id());
      int ended = sessions.endAllOf(user.id(), keep);
      audit.record(AuditLog.TWO_STEP_DISABLED, user.id(), null, ip,
          codes + " recovery codes removed, " + ended + " other sessions ended");
      return null;
    });
    return new Change(Check.OK, List.of());
  }

  /**
   * Replaces the user's recovery codes with new ones when {@code code} is a current code (or an
   * unused recovery code), counted like a sign-in; ends the user's sessions but {@code keep}.
   */
  public Change newRecoveryCodes(User user, String code, String ip, Session keep) {
    if (!enabled(user.id())) return new Change(Check.WRONG, List.of());
    Check check = prove(user, null, code, ip, false);
    if (check != Check.OK) return new Change(check, List.of());
    List<String> codes = RecoveryCodes.generate();
    tx.inTransaction(() -> {
      recovery.replaceAll(user.id(), RecoveryCodes.hashes(user.id(), codes));
      int ended = sessions.endAllOf(user.id(), keep);
      audit.record(AuditLog.RECOVERY_CODES_REGENERATED, user.id(), null, ip, ended + " other sessions ended");
      return null;
    });
    return new Change(Check.OK, codes);
  }

  /**
   * An operator's reset for a user who lost their device: two-step verification off, recovery codes
   * gone, every session of the user ended, in one transaction.
   */
  public Reset reset(String email) {
    User user = users.findByEmail(Accounts.normalizeEmail(email))
        .orElseThrow(() -> new ValidationException("no user with email " + email));
    return tx.inTransaction(() -> {
      boolean wasEnabled = enabled(user.id());
      totp.delete(user.id());
      int codes = recovery.deleteAll(user.id());
      int removedPasskeys = passkeys.removeAllOf(user.id());
      int ended = sessions.endAllOf(user.id(), null);
      audit.record(AuditLog.TWO_STEP_RESET, user.id(), null, null, (wasEnabled ? "was on, " : "was off, ")
          + codes + " recovery codes removed, " + removedPasskeys + " passkeys removed, " + ended + " sessions ended");
      return new Reset(user.id(), wasEnabled, codes, removedPasskeys, ended);
    });
  }

  /**
   * Checks the password (when {@code withPassword}) and then the code, which is used up only when
   * the password was right; the attempt is counted before either is checked.
   */
  private Check prove(User user, String password, String code, String ip, boolean withPassword) {
    try (LoginAttempts.Attempt attempt = attempts.begin(user.email(), ip)) {
      if (attempt.throttled()) {
        audit.record(AuditLog.LOGIN_THROTTLED, user.id(), null, ip, "two-step change");
        return Check.THROTTLED;
      }
      boolean ok = (!withPassword || password != null && PasswordHasher.verify(password, user.passwordHash()))
          && verify(user.id(), code);
      if (!ok) {
        audit.record(AuditLog.TWO_STEP_CHANGE_REFUSED, user.id(), null, ip, null);
        return Check.WRONG;
      }
      attempts.succeeded(attempt);
      return Check.OK;
    }
  }

  private Enrolment enrolment(User user, byte[] secret) {
    return new Enrolment(Totp.base32(secret), Totp.uri(ISSUER, user.email(), secret));
  }

  private String seal(String userId, byte[] secret) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cipher.seal(aad(userId), secret));
  }

  private byte[] open(String userId, String sealed) {
    return cipher.open(aad(userId), Base64.getUrlDecoder().decode(sealed))
        .orElseThrow(() -> new IllegalStateException("a TOTP secret does not open under the server key"));
  }

  /** Binds a sealed secret to its user: copied to another user's row, it does not open. */
  private static byte[] aad(String userId) {
    return ("monei totp secret\n" + userId).getBytes(StandardCharsets.UTF_8);
  }
}
