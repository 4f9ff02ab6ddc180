package com.monei.connect.server.oauth;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.consent.Consent;
import com.monei.connect.server.consent.ConsentStore;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.TokenFormat;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * GET /connect/authorize. Checks run in this fixed order: client, redirect URI, response_type,
 * scope, PKCE, prompt ({@link AuthorizationRequestConverter}), then session, consent, and the
 * code. Until the client and redirect URI are verified an error is a page; after that it goes
 * back to the redirect URI with state and iss.
 */
public final class AuthorizeEndpoint {
  /** How long the consent screen may stay open before its answer is refused. */
  public static final Duration PENDING_TTL = Duration.ofMinutes(30);

  private final AuthorizationRequestConverter converter;
  private final ConsentStore consents;
  private final PendingAuthorizationStore pending;
  private final AuthorizationCodeIssuer codes;
  private final Interaction interaction;
  private final Clock clock;

  public AuthorizeEndpoint(AuthorizationRequestConverter converter, ConsentStore consents,
      PendingAuthorizationStore pending, AuthorizationCodeIssuer codes, Interaction interaction, Clock clock) {
    this.converter = converter;
    this.consents = consents;
    this.pending = pending;
    this.codes = codes;
    this.interaction = interaction;
    this.clock = clock;
  }

  public void handle(Context ctx) {
    AuthorizationRequest request;
    try {
      request = converter.convert(ctx.queryParamMap());
    } catch (AuthorizationRequestException e) {
      if (e.error().mayRedirect()) {
        redirect(ctx, codes.errorRedirect(e.redirectUri(), e.error(), e.state()));
      } else {
        interaction.errorPage(ctx, e.error());
      }
      return;
    }
    Optional<Session> session = interaction.signedIn(ctx);
    if (session.isEmpty()) {
      interaction.login(ctx, ctx.path() + "?" + ctx.queryString());
      return;
    }
    String userId = session.get().userId();
    String clientId = request.app().clientId();
    Optional<Consent> consent = consents.find(clientId, userId);
    if (!request.forceConsent() && consent.isPresent() && consent.get().covers(request.scopes())) {
      // Remembered consent: the code carries every scope granted so far (incremental authorization).
      redirect(ctx, codes.issue(clientId, userId, request.redirectUri(), request.redirectUriGiven(),
          consent.get().scopes(), request.codeChallenge(), request.state()));
      return;
    }
    Instant now = clock.instant();
    PendingAuthorization waiting = new PendingAuthorization(TokenFormat.randomBase62(32),
        Hashes.sha256(session.get().id()), userId, clientId, request.redirectUri(), request.redirectUriGiven(),
        request.scopes(), request.state(), request.codeChallenge(), request.forceConsent(), now,
        now.plus(PENDING_TTL));
    pending.save(waiting);
    Set<String> granted = request.forceConsent() ? Set.of() : consent.map(Consent::scopes).orElse(Set.of());
    interaction.consent(ctx, waiting, request.app(), granted);
  }

  private static void redirect(Context ctx, String location) {
    ctx.header("Cache-Control", "no-store");
    ctx.redirect(location, HttpStatus.FOUND);
  }
}
