package com.monei.connect.server.oauth;

import com.monei.connect.server.app.RegisteredApp;
import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.consent.Connections;
import com.monei.connect.server.token.TokenRecord;
import com.monei.connect.server.token.TokenService;
import com.monei.connect.server.transaction.Transactions;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * POST /api/v1/connect/revoke (RFC 7009). Answers 200 whether or not the token was known, so the
 * endpoint reveals nothing; an app can only revoke its own tokens.
 */
public final class RevocationEndpoint {
  private final ClientAuthenticator clients;
  private final TokenService tokens;
  private final Connections connections;
  private final AuditLog audit;
  private final Transactions tx;

  public RevocationEndpoint(ClientAuthenticator clients, TokenService tokens, Connections connections, AuditLog audit,
      Transactions tx) {
    this.clients = clients;
    this.tokens = tokens;
    this.connections = connections;
    this.audit = audit;
    this.tx = tx;
  }

  public void handle(Context ctx) {
    TokenRequest request = TokenRequest.parse(ctx);
    RegisteredApp app = clients.authenticate(request);
    String token = request.require("token");
    Optional<TokenRecord> found = tokens.find(token);
    // RFC 7009 §2.1: "invalid tokens do not cause an error response since the client cannot handle such
    // an error in a reasonable way"; another app's token is treated the same, so nothing leaks.
    if (found.isPresent() && found.get().clientId().equals(app.clientId())) {
      TokenRecord record = found.get();
      // The revocation, a consent it leaves without tokens, and the audit event commit together.
      tx.inTransaction(() -> {
        if (record.type().equals("access_token")) {
          tokens.revokeAccessToken(token);
        } else {
          tokens.revokeFamily(record.familyId());
          connections.forgetIfNoLiveFamily(record.userId(), record.clientId());
        }
        audit.record(AuditLog.TOKEN_REVOKED, record.userId(), app.clientId(), null,
            record.type() + " of family " + record.familyId());
      });
    }
    ctx.header("Cache-Control", "no-store");
    ctx.status(200).json(java.util.Map.of());
  }
}
