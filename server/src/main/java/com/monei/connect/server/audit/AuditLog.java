package com.monei.connect.server.audit;

/** The audit trail in the database. Details never contain a credential. */
public interface AuditLog {
  String LOGIN_OK = "login.ok";
  String LOGIN_FAILED = "login.failed";
  String LOGIN_THROTTLED = "login.throttled";
  String CONSENT_GRANTED = "consent.granted";
  String CONSENT_DENIED = "consent.denied";
  String TOKEN_ISSUED = "token.issued";
  String TOKEN_REFRESHED = "token.refreshed";
  String REFRESH_REUSE_DETECTED = "token.refresh_reuse_detected";
  String TOKEN_REVOKED = "token.revoked";
  String APP_DISCONNECTED = "app.disconnected";
  String PASSWORD_CHANGED = "user.password_changed";
  String CODE_REPLAYED = "code.replayed";
  String TOKEN_GRANT_REFUSED = "token.refused";
  String WALLET_CREDITED = "wallet.credited";
  String SEND = "wallet.send";
  String USER_CREATED = "user.created";
  String APP_CREATED = "app.created";
  String APP_SECRET_ROTATED = "app.secret_rotated";
  String APP_PREVIOUS_SECRET_REVOKED = "app.previous_secret_revoked";
  String APP_REDIRECT_URIS_CHANGED = "app.redirect_uris_changed";
  String APP_DELETED = "app.deleted";
  String PASSKEY_ADDED = "passkey.added";
  String PASSKEY_RENAMED = "passkey.renamed";
  String PASSKEY_REMOVED = "passkey.removed";
  /** A passkey that could not be added: the detail says why (never the credential itself). */
  String PASSKEY_REFUSED = "passkey.refused";

  void record(String event, String userId, String clientId, String ip, String detail);
}
