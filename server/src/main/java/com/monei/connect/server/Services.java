package com.monei.connect.server;

import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.LoginAttempts;
import com.monei.connect.server.account.LoginVerifications;
import com.monei.connect.server.account.Passkeys;
import com.monei.connect.server.account.PasswordChange;
import com.monei.connect.server.account.SecondFactor;
import com.monei.connect.server.account.Sessions;
import com.monei.connect.server.account.TwoStepVerification;
import com.monei.connect.server.app.AppRegistration;
import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.SecretReveals;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.consent.Connections;
import com.monei.connect.server.consent.ConsentStore;
import com.monei.connect.server.oauth.PendingAuthorizationStore;
import com.monei.connect.server.storage.Database;
import com.monei.connect.server.storage.Housekeeping;
import com.monei.connect.server.storage.JdbcAppStore;
import com.monei.connect.server.storage.JdbcAuditLog;
import com.monei.connect.server.storage.JdbcCodeStore;
import com.monei.connect.server.storage.JdbcConfirmationStore;
import com.monei.connect.server.storage.JdbcConsentStore;
import com.monei.connect.server.storage.JdbcIdempotencyStore;
import com.monei.connect.server.storage.JdbcLedgerStore;
import com.monei.connect.server.storage.JdbcLoginFailureStore;
import com.monei.connect.server.storage.JdbcLoginVerificationStore;
import com.monei.connect.server.storage.JdbcPasskeyStore;
import com.monei.connect.server.storage.JdbcPendingAuthorizationStore;
import com.monei.connect.server.storage.JdbcRecoveryCodeStore;
import com.monei.connect.server.storage.JdbcSecretRevealStore;
import com.monei.connect.server.storage.JdbcServerKeyStore;
import com.monei.connect.server.storage.JdbcSessionStore;
import com.monei.connect.server.storage.JdbcTokenStore;
import com.monei.connect.server.storage.JdbcTotpStore;
import com.monei.connect.server.storage.JdbcUserStore;
import com.monei.connect.server.token.CodeStore;
import com.monei.connect.server.token.TokenService;
import com.monei.connect.server.token.TokenSettings;
import com.monei.connect.server.token.TokenStore;
import com.monei.connect.server.wallet.Confirmations;
import com.monei.connect.server.wallet.Sends;
import com.monei.connect.server.wallet.Wallets;
import java.time.Clock;

/**
 * The domain wired to its stores, without any HTTP: what the server and the operator commands share.
 */
public final class Services implements AutoCloseable {
  public final Config config;
  public final Clock clock;
  public final Database db;
  public final AuditLog audit;
  public final AppStore apps;
  public final ConsentStore consents;
  public final CodeStore codes;
  public final PendingAuthorizationStore pending;
  public final LoginAttempts loginAttempts;
  public final Accounts accounts;
  public final Sessions sessions;
  /** The users' second step (SPEC 7): {@link #twoStep}, behind the seam the pages that ask for it use. */
  public final SecondFactor secondFactor;
  public final TwoStepVerification twoStep;
  public final LoginVerifications loginVerifications;
  public final Passkeys passkeys;
  public final AppRegistration registration;
  public final SecretReveals secretReveals;
  public final TokenService tokens;
  public final Wallets wallets;
  public final TokenStore tokenStore;
  public final Connections connections;
  public final PasswordChange passwordChange;
  public final Housekeeping housekeeping;
  public final Sends sends;
  public final Confirmations confirmations;

  public Services(Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
    this.audit = new JdbcAuditLog(db, clock);
    this.apps = new JdbcAppStore(db);
    this.consents = new JdbcConsentStore(db);
    this.codes = new JdbcCodeStore(db);
    this.pending = new JdbcPendingAuthorizationStore(db);
    JdbcUserStore users = new JdbcUserStore(db);
    JdbcLedgerStore ledger = new JdbcLedgerStore(db);
    this.loginAttempts = new LoginAttempts(new JdbcLoginFailureStore(db), db, clock, config.loginMaxFailures());
    this.sessions = new Sessions(new JdbcSessionStore(db), clock, config.sessionIdle());
    this.passkeys = new Passkeys(new JdbcPasskeyStore(db), users, loginAttempts, sessions, audit, db, clock,
        config.issuer());
    JdbcServerKeyStore serverKeys = new JdbcServerKeyStore(db, clock);
    this.twoStep = new TwoStepVerification(new JdbcTotpStore(db), new JdbcRecoveryCodeStore(db), passkeys, users,
        loginAttempts, sessions, serverKeys, audit, db, clock);
    this.secondFactor = twoStep;
    this.accounts = new Accounts(users, loginAttempts, secondFactor, audit, db, clock);
    this.loginVerifications = new LoginVerifications(new JdbcLoginVerificationStore(db), secondFactor, users,
        loginAttempts, audit, db, clock);
    this.tokenStore = new JdbcTokenStore(db);
    this.tokens = new TokenService(tokenStore, serverKeys, audit, clock,
        new TokenSettings(config.accessTokenTtl(), config.refreshTokenTtl()));
    this.registration = new AppRegistration(apps, tokenStore, db, audit, clock, config.secretRotationOverlap());
    this.secretReveals = new SecretReveals(new JdbcSecretRevealStore(db), serverKeys, clock);
    this.connections = new Connections(consents, tokenStore, codes, apps, db, audit, clock);
    this.passwordChange = new PasswordChange(users, tokenStore, codes, sessions, db, audit, clock);
    this.housekeeping = new Housekeeping(db, clock);
    this.confirmations = new Confirmations(new JdbcConfirmationStore(db), ledger, accounts, loginAttempts,
        secondFactor, db, audit, clock, config.sendConfirmAbove(), config.confirmationTtl());
    this.sends = new Sends(ledger, new JdbcIdempotencyStore(db), consents, confirmations, db, audit, clock);
    this.wallets = new Wallets(ledger, db, audit, clock);
  }

  @Override
  public void close() {
    housekeeping.close();
    db.close();
  }
}
