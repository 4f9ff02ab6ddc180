package com.monei.connect.server.consent;

import com.monei.connect.server.app.AppStore;
import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.CodeStore;
import com.monei.connect.server.token.TokenStore;
import com.monei.connect.server.transaction.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A user's connected apps: what each may do, and disconnecting them. */
public final class Connections {
  private final ConsentStore consents;
  private final TokenStore tokens;
  private final CodeStore codes;
  private final AppStore apps;
  private final Transactions tx;
  private final AuditLog audit;
  private final Clock clock;

  public Connections(ConsentStore consents, TokenStore tokens, CodeStore codes, AppStore apps, Transactions tx,
      AuditLog audit, Clock clock) {
    this.consents = consents;
    this.tokens = tokens;
    this.codes = codes;
    this.apps = apps;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
  }

  /** One connected app as the user sees it; {@code lastUsedAt} is null when its tokens were never used. */
  public record Connection(RegisteredApp app, Consent consent, Instant lastUsedAt) {}

  public List<Connection> of(String userId) {
    Map<String, Instant> lastUse = new HashMap<>();
    for (TokenStore.FamilyUse use : tokens.lastUse(userId)) {
      if (use.lastUsedAt() != null) lastUse.put(use.clientId(), use.lastUsedAt());
    }
    List<Connection> out = new ArrayList<>();
    for (Consent consent : consents.forUser(userId)) {
      apps.find(consent.clientId()).ifPresent(app -> out.add(new Connection(app, consent, lastUse.get(app.clientId()))));
    }
    return out;
  }

  /**
   * Revokes every token of every family of the user with the app and forgets the consent, in one
   * transaction, so the next authorization asks again.
   */
  public void disconnect(String userId, String clientId) {
    tx.inTransaction(() -> {
      int families = tokens.revokeFamilies(clientId, userId, clock.instant());
      codes.discardUnused(clientId, userId);
      consents.forget(clientId, userId);
      audit.record(AuditLog.APP_DISCONNECTED, userId, clientId, null, families + " token families revoked");
    });
  }

  /** How a change of an app's send limit ended. */
  public enum LimitChange { CHANGED, NEEDS_CONSENT, NOT_CONNECTED }

  /**
   * Lowers the send limit of the user's grant to the app, or its threshold for confirmations (setting
   * one where there was none lowers it too). Raising either, or removing the threshold, needs a new
   * consent from the app's side and is refused here. The currency stays the limit's.
   */
  public LimitChange lowerSendLimit(String userId, String clientId, long limitMinor, Long confirmAboveMinor) {
    return tx.inTransaction(() -> {
      Consent consent = consents.find(clientId, userId).orElse(null);
      if (consent == null || consent.sendLimit() == null || !consent.scopes().contains(ScopeCatalog.WALLET_SEND))
        return LimitChange.NOT_CONNECTED;
      Consent.SendLimit now = consent.sendLimit();
      Consent.SendLimit lower = new Consent.SendLimit(limitMinor, now.currency(), confirmAboveMinor);
      if (!now.allowsAtMost(lower)) return LimitChange.NEEDS_CONSENT;
      consents.changeSendLimit(clientId, userId, lower, clock.instant());
      audit.record(AuditLog.SEND_LIMIT_LOWERED, userId, clientId, null, "limit " + limitMinor + " "
          + now.currency() + " minor units, confirm above " + (confirmAboveMinor == null ? "none" : confirmAboveMinor));
      return LimitChange.CHANGED;
    });
  }

  /**
   * After an app revoked one of its refresh tokens: when no live family is left, the app has
   * disconnected itself and its consent is forgotten too.
   */
  public void forgetIfNoLiveFamily(String userId, String clientId) {
    tx.inTransaction(() -> {
      if (!tokens.hasLiveFamily(clientId, userId, clock.instant())) consents.forget(clientId, userId);
    });
  }
}
