package com.monei.connect.server.api;

import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.User;
import com.monei.connect.server.consent.ScopeCatalog;
import com.monei.connect.server.token.AccessGrant;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** GET /api/v1/profile/me. */
public final class ProfileRoutes {
  private final BearerAuth auth;
  private final Accounts accounts;

  public ProfileRoutes(BearerAuth auth, Accounts accounts) {
    this.auth = auth;
    this.accounts = accounts;
  }

  public void me(Context ctx) {
    AccessGrant grant = auth.require(ctx, ScopeCatalog.PROFILE_READ);
    User user = accounts.find(grant.userId())
        .orElseThrow(() -> ApiException.bearer(ApiError.INVALID_TOKEN));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", user.id());
    body.put("name", user.name());
    body.put("email", user.email());
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }
}
