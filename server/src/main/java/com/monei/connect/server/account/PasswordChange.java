package com.monei.connect.server.account;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.CodeStore;
import com.monei.connect.server.token.TokenStore;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import java.time.Clock;

/** A new password cuts off every app that held a refresh token of the user, in the same transaction. */
public final class PasswordChange {
  private final UserStore users;
  private final TokenStore tokens;
  private final CodeStore codes;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;

  public PasswordChange(UserStore users, TokenStore tokens, CodeStore codes, Transactions tx, AuditLog audit,
      Clock clock) {
    this.users = users;
    this.tokens = tokens;
    this.codes = codes;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
  }

  /** Returns how many token families were revoked. */
  public int change(String email, String newPassword) {
    PasswordHasher.validateNew(newPassword);
    User user = users.findByEmail(Accounts.normalizeEmail(email))
        .orElseThrow(() -> new ValidationException("no user with email " + email));
    String hash = PasswordHasher.hash(newPassword);
    return tx.inTransaction(() -> {
      users.setPasswordHash(user.id(), hash);
      int revoked = tokens.revokeAllFamiliesOfUser(user.id(), clock.instant());
      codes.discardUnused(null, user.id());
      audit.record(AuditLog.PASSWORD_CHANGED, user.id(), null, null, revoked + " token families revoked");
      return revoked;
    });
  }
}
