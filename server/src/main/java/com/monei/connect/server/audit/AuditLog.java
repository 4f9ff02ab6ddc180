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
  String SEND_LIMIT_LOWERED = "consent.send_limit_lowered";
  String PASSWORD_CHANGED = "user.password_changed";
  String CODE_REPLAYED = "code.replayed";
  String TOKEN_GRANT_REFUSED = "token.refused";
  String WALLET_CREDITED = "wallet.credited";
  String SEND = "wallet.send";
  String SEND_CONFIRMATION_ASKED = "send_confirmation.asked";
  String SEND_CONFIRMED = "send_confirmation.confirmed";
  String SEND_REJECTED = "send_confirmation.rejected";
  /** A wrong password or code on the confirmation page; nothing was decided. */
  String SEND_CONFIRMATION_PROOF_FAILED = "send_confirmation.proof_failed";
  String USER_CREATED = "user.created";
  String APP_CREATED = "app.created";
  String APP_SECRET_ROTATED = "app.secret_rotated";
  String APP_PREVIOUS_SECRET_REVOKED = "app.previous_secret_revoked";
  String APP_REDIRECT_URIS_CHANGED = "app.redirect_uris_changed";
  String APP_DELETED = "app.deleted";
  String APP_VERIFIED = "app.verified";
  /** The password was right and the user has a second step: the sign-in waits for it. */
  String LOGIN_SECOND_STEP = "login.second_step";
  String TWO_STEP_ENABLED = "two_step.enabled";
  String TWO_STEP_DISABLED = "two_step.disabled";
  /** An operator turned a user's two-step verification off ({@code users reset-2fa}). */
  String TWO_STEP_RESET = "two_step.reset";
  String RECOVERY_CODES_REGENERATED = "two_step.recovery_codes_regenerated";
  String RECOVERY_CODE_USED = "two_step.recovery_code_used";
  /** A change to two-step verification refused: wrong password or code. */
  String TWO_STEP_CHANGE_REFUSED = "two_step.change_refused";
  String PASSKEY_ADDED = "passkey.added";
  String PASSKEY_RENAMED = "passkey.renamed";
  String PASSKEY_REMOVED = "passkey.removed";
  /** A passkey that could not be added: the detail says why (never the credential itself). */
  String PASSKEY_REFUSED = "passkey.refused";

  void record(String event, String userId, String clientId, String ip, String detail);
}
