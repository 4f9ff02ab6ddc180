package com.monei.connect.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.LoginAttempts;
import com.monei.connect.server.account.Passkeys;
import com.monei.connect.server.account.Session;
import com.monei.connect.server.account.User;
import com.monei.connect.server.api.ApiError;
import com.monei.connect.server.http.ClientAddress;
import com.monei.connect.server.http.JsonBody;
import com.monei.connect.server.http.JsonErrorWriter;
import com.monei.connect.server.validation.ValidationException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Passkeys over HTTP (SPEC 7): the JSON ceremony endpoints the page script calls (adding a passkey
 * on /account/security, signing in from /login), and the plain forms that rename and remove one.
 * The JSON endpoints carry the CSRF token in their body ({@code csrf_token}), bound to the session
 * as every form's is, and answer errors in the API's JSON shape.
 */
public final class PasskeyRoutes {
  public static final String PAGE = "/account/security";
  public static final String ADD = "/account/security/passkeys";
  public static final String ADD_OPTIONS = "/account/security/passkeys/options";
  public static final String RENAME = "/account/security/passkeys/{id}/rename";
  public static final String REMOVE = "/account/security/passkeys/{id}/delete";
  public static final String SIGN_IN = "/login/passkey";
  public static final String SIGN_IN_OPTIONS = "/login/passkey/options";
  public static final String SCRIPT = "/static/passkeys.js";
  /** The paths that answer JSON, errors included: the script reads them. */
  private static final Set<String> JSON_PATHS = Set.of(ADD, ADD_OPTIONS, SIGN_IN, SIGN_IN_OPTIONS);
  static final String PURPOSE = "passkeys";
  private static final ApiError EXPIRED =
      new ApiError("invalid_request", "This page expired. Reload it and try again.", 403);
  private static final ApiError SIGN_IN_REQUIRED =
      new ApiError("login_required", "Sign in to Monei to manage your passkeys.", 401);
  private static final ApiError SIGN_IN_FAILED =
      new ApiError("access_denied", "That passkey could not be used to sign in. Try again, or use your password.", 401);
  private static final ApiError THROTTLED =
      new ApiError("too_many_attempts", "Too many failed sign-in attempts. Try again in 15 minutes.", 429);
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private final Passkeys passkeys;
  private final Accounts accounts;
  private final BrowserSessions sessions;
  private final Pages pages;
  private final ErrorPages errors;

  public PasskeyRoutes(Passkeys passkeys, Accounts accounts, BrowserSessions sessions, Pages pages,
      ErrorPages errors) {
    this.passkeys = passkeys;
    this.accounts = accounts;
    this.sessions = sessions;
    this.pages = pages;
    this.errors = errors;
  }

  /** Whether errors on {@code path} are written as JSON rather than as a page. */
  public static boolean answersJson(String path) {
    return JSON_PATHS.contains(path) || ConfirmationPage.PASSKEY_PATHS.matcher(path).matches();
  }

  /**
   * The passkeys section of /account/security, for the page that shows it: the user's passkeys,
   * the token its forms and script carry, and what was just done ({@code notice}: the page's
   * {@code passkey} query parameter, which these routes set when they send the user back).
   */
  public PasskeyViews.Section section(Session session, String notice) {
    List<PasskeyViews.Row> rows = passkeys.of(session.userId()).stream()
        .map(p -> new PasskeyViews.Row(p.id(), p.name(), Views.when(p.createdAt()), when(p.lastUsedAt())))
        .toList();
    String shown = notice == null ? null : switch (notice) {
      case "added" -> "Your passkey was added. Your other sessions were signed out.";
      case "renamed" -> "Your passkey was renamed.";
      case "removed" -> "Your passkey was removed. Your other sessions were signed out.";
      default -> null;
    };
    return new PasskeyViews.Section(rows, Csrf.token(session, PURPOSE), shown);
  }

  /** A JSON request of a signed-in user whose CSRF token is right, with its body. */
  private record Signed(JsonNode body, Session session, User user) {}

  /** The request as {@link Signed}, or null when it was already answered (bad body, signed out, bad token). */
  private Signed signed(Context ctx) {
    JsonNode body = body(ctx);
    if (body == null) return null;
    Optional<Session> session = sessions.signedIn(ctx);
    Optional<User> user = session.flatMap(s -> accounts.find(s.userId()));
    if (user.isEmpty()) {
      fail(ctx, SIGN_IN_REQUIRED);
      return null;
    }
    if (!Csrf.verify(session.get(), PURPOSE, text(body, "csrf_token"))) {
      fail(ctx, EXPIRED);
      return null;
    }
    return new Signed(body, session.get(), user.get());
  }

  /** POST /account/security/passkeys/options: PublicKeyCredentialCreationOptions with a new challenge. */
  public void addOptions(Context ctx) {
    Signed signed = signed(ctx);
    if (signed == null) return;
    answer(ctx, 200, passkeys.creationOptions(signed.user(), signed.session()));
  }

  /** POST /account/security/passkeys: the new credential (attestation) and its name. */
  public void add(Context ctx) {
    Signed signed = signed(ctx);
    if (signed == null) return;
    JsonNode body = signed.body();
    try {
      JsonNode response = credentialResponse(body);
      Set<String> transports = new LinkedHashSet<>();
      JsonNode listed = response.path("transports");
      if (!listed.isMissingNode() && !listed.isNull()) {
        if (!listed.isArray() || listed.size() > 10) throw new ValidationException("transports must be a list.");
        for (JsonNode t : listed) {
          if (!t.isTextual() || t.asText().length() > 32) throw new ValidationException("transports must be names.");
          transports.add(t.asText());
        }
      }
      Passkeys.Attestation attestation = new Passkeys.Attestation(bytes(response, "attestationObject"),
          bytes(response, "clientDataJSON"), transports);
      Passkeys.Added added = passkeys.add(signed.user(), signed.session(), text(body, "name"), attestation,
          ClientAddress.of(ctx).ip());
      if (added instanceof Passkeys.Added.Ok ok) {
        answer(ctx, 201, Map.of("id", ok.passkey().id(), "name", ok.passkey().name(),
            "redirect", PAGE + "?passkey=added"));
      } else {
        fail(ctx, new ApiError("passkey_refused", ((Passkeys.Added.Refused) added).reason(), 400));
      }
    } catch (ValidationException e) {
      fail(ctx, new ApiError("invalid_request", e.getMessage(), 400));
    }
  }

  /** POST /account/security/passkeys/{id}/rename, a form. */
  public void rename(Context ctx) {
    Optional<Session> session = formSession(ctx);
    if (session.isEmpty()) return;
    try {
      if (!passkeys.rename(session.get().userId(), ctx.pathParam("id"), ctx.formParam("name"),
          ClientAddress.of(ctx).ip())) {
        errors.show(ctx, 404, "That passkey is not one of yours.");
        return;
      }
    } catch (ValidationException e) {
      errors.show(ctx, 400, e.getMessage());
      return;
    }
    ctx.redirect(PAGE + "?passkey=renamed", HttpStatus.SEE_OTHER);
  }

  /** POST /account/security/passkeys/{id}/delete, a form; the user's other sessions end. */
  public void remove(Context ctx) {
    Optional<Session> session = formSession(ctx);
    if (session.isEmpty()) return;
    if (!passkeys.remove(session.get().userId(), ctx.pathParam("id"), session.get(), ClientAddress.of(ctx).ip())) {
      errors.show(ctx, 404, "That passkey is not one of yours.");
      return;
    }
    ctx.redirect(PAGE + "?passkey=removed", HttpStatus.SEE_OTHER);
  }

  /** POST /login/passkey/options: PublicKeyCredentialRequestOptions for any discoverable credential. */
  public void signInOptions(Context ctx) {
    JsonNode body = body(ctx);
    if (body == null) return;
    Session session = sessions.current(ctx).orElse(null);
    if (session == null || !Csrf.verify(session, LoginPage.LOGIN_PURPOSE, text(body, "csrf_token"))) {
      fail(ctx, EXPIRED);
      return;
    }
    answer(ctx, 200, passkeys.requestOptions(session));
  }

  /**
   * POST /login/passkey: the assertion. On success the session is signed in under a new id and the
   * answer says where to go: the login form's return_to, on this origin only.
   */
  public void signIn(Context ctx) {
    JsonNode body = body(ctx);
    if (body == null) return;
    Session session = sessions.current(ctx).orElse(null);
    if (session == null || !Csrf.verify(session, LoginPage.LOGIN_PURPOSE, text(body, "csrf_token"))) {
      fail(ctx, EXPIRED);
      return;
    }
    String returnTo = ReturnTo.safe(text(body, "return_to"));
    Accounts.SignIn result;
    Session[] renewed = new Session[1];
    try {
      result = passkeys.signIn(session, assertion(body), ClientAddress.of(ctx).ip(),
          user -> renewed[0] = sessions.renew(session, user.id()));
    } catch (ValidationException e) {
      fail(ctx, new ApiError("invalid_request", e.getMessage(), 400));
      return;
    }
    if (result instanceof Accounts.SignIn.Ok) {
      sessions.use(ctx, renewed[0]);
      answer(ctx, 200, Map.of("redirect", returnTo));
    } else if (result instanceof Accounts.SignIn.Throttled) {
      ctx.header("Retry-After", String.valueOf(LoginAttempts.WINDOW.toSeconds()));
      fail(ctx, THROTTLED);
    } else {
      fail(ctx, SIGN_IN_FAILED);
    }
  }

  private Optional<Session> formSession(Context ctx) {
    Optional<Session> session = sessions.signedIn(ctx);
    if (session.isEmpty() || !Csrf.verify(session.get(), PURPOSE, ctx.formParam(Csrf.FIELD))) {
      errors.formExpired(ctx);
      return Optional.empty();
    }
    return session;
  }

  /** The request's JSON object, or null after answering 400 when it is not one (strict UTF-8 included). */
  static JsonNode body(Context ctx) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(ctx.bodyAsBytes())).toString();
      return JsonBody.object(text, "see the passkey script for the fields.");
    } catch (CharacterCodingException e) {
      fail(ctx, new ApiError("invalid_request", "The body is not valid UTF-8.", 400));
    } catch (ValidationException e) {
      fail(ctx, new ApiError("invalid_request", e.getMessage(), 400));
    }
    return null;
  }

  /** The assertion in the body's {@code credential}, as the script sends it after navigator.credentials.get. */
  static Passkeys.Assertion assertion(JsonNode body) {
    JsonNode credential = body.path("credential");
    JsonNode response = credentialResponse(body);
    JsonNode userHandle = response.path("userHandle");
    byte[] handle = userHandle.isMissingNode() || userHandle.isNull() ? null : bytes(response, "userHandle");
    return new Passkeys.Assertion(bytes(credential, "rawId"), handle, bytes(response, "authenticatorData"),
        bytes(response, "clientDataJSON"), bytes(response, "signature"));
  }

  private static JsonNode credentialResponse(JsonNode body) {
    JsonNode credential = body.path("credential");
    if (!credential.isObject()) throw new ValidationException("credential must be an object.");
    if (!"public-key".equals(text(credential, "type"))) throw new ValidationException("credential.type must be "
        + "public-key.");
    JsonNode response = credential.path("response");
    if (!response.isObject()) throw new ValidationException("credential.response must be an object.");
    return response;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  private static byte[] bytes(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null || value.isEmpty() || value.length() > 100_000)
      throw new ValidationException(field + " must be base64url text.");
    try {
      return BASE64URL.decode(value);
    } catch (IllegalArgumentException e) {
      throw new ValidationException(field + " must be base64url text.");
    }
  }

  static void answer(Context ctx, int status, Object json) {
    ctx.header("Cache-Control", "no-store");
    ctx.status(status).json(json);
  }

  static void fail(Context ctx, ApiError error) {
    JsonErrorWriter.write(ctx, error, null);
  }

  private static String when(Instant at) {
    return at == null ? "never" : Views.when(at);
  }
}
