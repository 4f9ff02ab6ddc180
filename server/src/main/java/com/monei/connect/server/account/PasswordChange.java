package com.monei.connect.server.account;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.CodeStore;
import com.monei.connect.server.token.TokenStore;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import java.time.Clock;

/**
 * A new password cuts off every app that held a refresh token of the user and every browser
 * signed in as the user (a stolen session included), in the same transaction.
 */
public final class PasswordChange {
  private final UserStore users;
  private final TokenStore tokens;
  private final CodeStore codes;
  private final Sessions sessions;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;

  /** What a change ended besides the old password. */
  public record Result(int revokedFamilies, int endedSessions) {}

  public PasswordChange(UserStore users, TokenStore tokens, CodeStore codes, Sessions sessions, Transactions tx,
      AuditLog audit, Clock clock) {
    this.users = users;
    this.tokens = tokens;
    this.codes = codes;
    this.sessions = sessions;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
  }

  /** An operator's change: ends every session of the user. */
  public Result change(String email, String newPassword) {
    return change(email, newPassword, null);
  }

  /** The user's own change from a signed-in page: ends every session but {@code keep}, the one making it. */
  public Result change(String email, String newPassword, Session keep) {
    PasswordHasher.validateNew(newPassword);
    User user = users.findByEmail(Accounts.normalizeEmail(email))
        .orElseThrow(() -> new ValidationException("no user with email " + email));
    String hash = PasswordHasher.hash(newPassword);
    return tx.inTransaction(() -> {
      users.setPasswordHash(user.id(), hash);
      int revoked = tokens.revokeAllFamiliesOfUser(user.id(), clock.instant());
      codes.discardUnused(null, user.id());
      int ended = sessions.endAllOf(user.id(), keep);
      audit.record(AuditLog.PASSWORD_CHANGED, user.id(), null, null,
          revoked + " token families revoked, " + ended + " sessions ended");
      return new Result(revoked, ended);
    });
  }
}
