package com.monei.connect.server.account;

import com.monei.connect.server.audit.AuditLog;
import com.monei.connect.server.token.Hashes;
import com.monei.connect.server.token.Ids;
import com.monei.connect.server.transaction.Transactions;
import com.monei.connect.server.validation.ValidationException;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.Challenge;
import com.webauthn4j.server.ServerProperty;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Passkeys (SPEC 7, WebAuthn Level 2 through webauthn4j): adding, naming and removing them,
 * signing in with one, which counts as both steps, and a signed-in user proving themselves again
 * with one of their own (to answer a send confirmation, SPEC 1.6). The relying party is the issuer:
 * its host is the RP id and its origin the only one accepted. Credentials must be discoverable and
 * verify their user; attestation is not asked for (nothing here depends on the authenticator's
 * make). Each ceremony's challenge is random, stored only as a hash, bound to the browser session
 * and its purpose (and, when adding or proving again, to the user) and used at most once within
 * {@link #CHALLENGE_TTL}.
 */
public final class Passkeys {
  public static final Duration CHALLENGE_TTL = Duration.ofMinutes(5);
  public static final int MAX_NAME_LENGTH = 60;
  static final String REGISTER = "register";
  static final String LOGIN = "login";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** ES256 first (every platform authenticator has it), then EdDSA and RS256 (Windows Hello). */
  private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  private final PasskeyStore store;
  private final UserStore users;
  private final LoginAttempts attempts;
  private final Sessions sessions;
  private final AuditLog audit;
  private final Transactions tx;
  private final Clock clock;
  private final String rpId;
  private final Origin origin;

  /**
   * webauthn4j and the Jackson it brings are over a thousand classes: loaded at the first passkey
   * request, not while the server starts. Both objects are thread-safe.
   */
  private static final class WebAuthn {
    static final ObjectConverter CONVERTER = new ObjectConverter();
    static final WebAuthnManager MANAGER = WebAuthnManager.createNonStrictWebAuthnManager(CONVERTER);
  }

  public Passkeys(PasskeyStore store, UserStore users, LoginAttempts attempts, Sessions sessions, AuditLog audit,
      Transactions tx, Clock clock, String issuer) {
    this.store = store;
    this.users = users;
    this.attempts = attempts;
    this.sessions = sessions;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
    URI uri = URI.create(issuer);
    this.rpId = uri.getHost();
    this.origin = new Origin(uri.getScheme() + "://" + uri.getRawAuthority());
  }

  /** The parts of a PublicKeyCredential for registration, as the browser encoded them. */
  public record Attestation(byte[] attestationObject, byte[] clientDataJson, Set<String> transports) {}

  /** The parts of a PublicKeyCredential for authentication, as the browser encoded them. */
  public record Assertion(byte[] credentialId, byte[] userHandle, byte[] authenticatorData, byte[] clientDataJson,
      byte[] signature) {}

  /** The outcome of adding a passkey: its record, or why it was refused (for the user, no secret in it). */
  public sealed interface Added {
    record Ok(Passkey passkey) implements Added {}
    record Refused(String reason) implements Added {}
  }

  /** The outcome of proving oneself again with a passkey: which one, or why not (for the audit trail). */
  public sealed interface Proof {
    record Ok(Passkey passkey) implements Proof {}
    record Refused(String why) implements Proof {}
  }

  public List<Passkey> of(String userId) {
    return store.listOf(userId);
  }

  /**
   * PublicKeyCredentialCreationOptions (as JSON, binary fields base64url) for adding a passkey to
   * {@code user} from {@code session}: a new challenge, the user's existing credentials excluded.
   */
  public Map<String, Object> creationOptions(User user, Session session) {
    List<Passkey> existing = store.listOf(user.id());
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("rp", Map.of("id", rpId, "name", "Monei"));
    options.put("user", Map.of("id", userHandle(user), "name", user.email(), "displayName", user.name()));
    options.put("challenge", newChallenge(session, REGISTER, user.id()));
    options.put("pubKeyCredParams", ALGORITHMS.stream()
        .map(p -> Map.of("type", "public-key", "alg", p.getAlg().getValue())).toList());
    options.put("timeout", CHALLENGE_TTL.toMillis());
    options.put("excludeCredentials", existing.stream()
        .map(p -> Map.of("type", "public-key", "id", p.credentialId())).toList());
    options.put("authenticatorSelection",
        Map.of("residentKey", "required", "requireResidentKey", true, "userVerification", "required"));
    options.put("attestation", "none");
    return options;
  }

  /** PublicKeyCredentialRequestOptions for signing in from {@code session}: any discoverable credential. */
  public Map<String, Object> requestOptions(Session session) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("challenge", newChallenge(session, LOGIN, null));
    options.put("rpId", rpId);
    options.put("timeout", CHALLENGE_TTL.toMillis());
    options.put("allowCredentials", List.of());
    options.put("userVerification", "required");
    return options;
  }

  /**
   * Verifies a new credential of {@code user} against the challenge handed to {@code session}, and
   * stores it under {@code name}. Audited either way; on success every other session of the user
   * ends, since a new way in was added.
   */
  public Added add(User user, Session session, String name, Attestation attestation, String ip) {
    String cleanName = cleanName(name);
    RegistrationData data;
    try {
      data = WebAuthn.MANAGER.parse(new RegistrationRequest(attestation.attestationObject(),
          attestation.clientDataJson(), attestation.transports()));
    } catch (RuntimeException e) {
      throw new ValidationException("The passkey's response could not be read.");
    }
    if (data.getCollectedClientData() == null || data.getAttestationObject() == null)
      throw new ValidationException("The passkey's response is incomplete.");
    Challenge challenge = data.getCollectedClientData().getChallenge();
    Optional<String> madeFor = consume(challenge, session, REGISTER);
    if (madeFor.isEmpty() || !madeFor.get().equals(user.id())) return refuse(user, ip, "unknown or used challenge");
    try {
      WebAuthn.MANAGER.verify(data, new RegistrationParameters(serverProperty(challenge), ALGORITHMS, true, true));
    } catch (RuntimeException e) {
      return refuse(user, ip, "verification: " + e.getClass().getSimpleName());
    }
    AuthenticatorData<?> authData = data.getAttestationObject().getAuthenticatorData();
    AttestedCredentialData credential = authData.getAttestedCredentialData();
    if (credential == null) return refuse(user, ip, "no credential data");
    Instant now = clock.instant();
    byte[] aaguid = credential.getAaguid().getBytes();
    byte[] coseKey = WebAuthn.CONVERTER.getCborMapper().writeValueAsBytes(credential.getCOSEKey());
    Passkey passkey = new Passkey(Ids.next("pk_"), user.id(), B64.encodeToString(credential.getCredentialId()),
        userHandle(user), B64.encodeToString(coseKey),
        B64.encodeToString(aaguid == null ? new byte[16] : aaguid), authData.getSignCount(), authData.isFlagUV(),
        authData.isFlagBE(), authData.isFlagBS(), cleanName, now, null);
    return tx.inTransaction(() -> {
      if (!store.insert(passkey)) return refuse(user, ip, "credential already registered");
      audit.record(AuditLog.PASSKEY_ADDED, user.id(), null, ip, passkey.id());
      sessions.endAllOf(user.id(), session);
      return new Added.Ok(passkey);
    });
  }

  /** Renames the user's passkey {@code id}; false when the user has none by that id. Audited. */
  public boolean rename(String userId, String id, String name, String ip) {
    String cleanName = cleanName(name);
    return tx.inTransaction(() -> {
      if (!store.rename(id, userId, cleanName)) return false;
      audit.record(AuditLog.PASSKEY_RENAMED, userId, null, ip, id);
      return true;
    });
  }

  /**
   * Removes the user's passkey {@code id} and ends the user's other sessions (one may have been
   * signed in with it); false when the user has none by that id. Audited.
   */
  public boolean remove(String userId, String id, Session keep, String ip) {
    return tx.inTransaction(() -> {
      if (!store.delete(id, userId)) return false;
      audit.record(AuditLog.PASSKEY_REMOVED, userId, null, ip, id);
      sessions.endAllOf(userId, keep);
      return true;
    });
  }

  /**
   * Removes every passkey of the user, in the caller's transaction if there is one: for an
   * operator's reset of the user's second step, which audits and ends the sessions itself.
   */
  public int removeAllOf(String userId) {
    return store.deleteAllOf(userId);
  }

  /**
   * Signs in with a passkey's assertion, which counts as both steps. Counted against the sign-in
   * limits like a password (on the credential's account when the credential is known), and the
   * answer never tells whether a credential exists. On success {@code establish} (storing the new
   * session) runs in the transaction that records the sign-in and the counter.
   */
  public Accounts.SignIn signIn(Session session, Assertion assertion, String ip, Consumer<User> establish) {
    AuthenticationData data = parse(assertion);
    String credentialId = B64.encodeToString(assertion.credentialId());
    Optional<Passkey> passkey = store.findByCredentialId(credentialId);
    Optional<User> user = passkey.flatMap(p -> users.findById(p.userId()));
    String subject = user.map(User::email).orElse("passkey:" + credentialId);
    try (LoginAttempts.Attempt attempt = attempts.begin(subject, ip)) {
      if (attempt.throttled()) {
        audit.record(AuditLog.LOGIN_THROTTLED, user.map(User::id).orElse(null), null, ip, "passkey");
        return new Accounts.SignIn.Throttled();
      }
      Challenge challenge = data.getCollectedClientData().getChallenge();
      if (consume(challenge, session, LOGIN).isEmpty()) return failed(user, ip, "unknown or used challenge");
      if (user.isEmpty()) return failed(user, ip, "unknown credential");
      Passkey p = passkey.get();
      // WebAuthn §7.2: "If the user was not identified before the authentication ceremony was
      // initiated, verify that response.userHandle is present, and that the user identified by this
      // value is the owner of credentialSource."
      if (assertion.userHandle() == null || !Arrays.equals(assertion.userHandle(), decode(p.userHandle())))
        return failed(user, ip, "user handle does not match the credential");
      Optional<String> wrong = verify(data, challenge, p);
      if (wrong.isPresent()) return failed(user, ip, wrong.get());
      // webauthn4j refused a counter at or below the stored one (a cloned authenticator, §6.1.1);
      // the store checks it again where it writes, against a concurrent use of the same assertion.
      long signCount = data.getAuthenticatorData().getSignCount();
      boolean signedIn = tx.inTransaction(() -> {
        if (!store.recordUse(p.id(), signCount, clock.instant())) return false;
        attempts.succeeded(attempt);
        audit.record(AuditLog.LOGIN_OK, user.get().id(), null, ip, "passkey " + p.id());
        establish.accept(user.get());
        return true;
      });
      return signedIn ? new Accounts.SignIn.Ok(user.get()) : failed(user, ip, "signature counter did not advance");
    }
  }

  /**
   * PublicKeyCredentialRequestOptions for the user {@code userId}, signed in on {@code session}, to prove
   * themselves again for {@code purpose} (such as answering one send confirmation): a new challenge
   * bound to the session, the purpose and the user, and only the user's own credentials allowed.
   * Empty when the user has no passkey.
   */
  public Optional<Map<String, Object>> requestOptionsFor(String userId, Session session, String purpose) {
    List<Passkey> own = store.listOf(userId);
    if (own.isEmpty()) return Optional.empty();
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("challenge", newChallenge(session, purpose, userId));
    options.put("rpId", rpId);
    options.put("timeout", CHALLENGE_TTL.toMillis());
    options.put("allowCredentials", own.stream()
        .map(p -> Map.of("type", "public-key", "id", p.credentialId())).toList());
    options.put("userVerification", "required");
    return Optional.of(options);
  }

  /**
   * Checks that {@code userId}, signed in on {@code session}, proved themselves again with one of
   * their own passkeys, answering a challenge of {@link #requestOptionsFor} for the same purpose
   * (used up here, right or wrong). Origin, RP id, user verification, signature and counter are
   * checked as at sign-in, and the use is recorded. The caller counts the attempt against the
   * sign-in limits first; the refusal's reason is for the audit trail only.
   */
  public Proof verifyFor(String userId, Session session, String purpose, Assertion assertion) {
    AuthenticationData data = parse(assertion);
    Challenge challenge = data.getCollectedClientData().getChallenge();
    Optional<String> madeFor = consume(challenge, session, purpose);
    if (madeFor.isEmpty() || !madeFor.get().equals(userId)) return new Proof.Refused("unknown or used challenge");
    Optional<Passkey> passkey = store.findByCredentialId(B64.encodeToString(assertion.credentialId()));
    if (passkey.isEmpty() || !passkey.get().userId().equals(userId))
      return new Proof.Refused("not a credential of the user");
    Passkey p = passkey.get();
    // WebAuthn §7.2: "If the user was identified before the authentication ceremony was initiated
    // [...] verify that the identified user is the owner of credentialSource. If response.userHandle
    // is present, let userHandle be its value. Verify that userHandle also maps to the same user."
    if (assertion.userHandle() != null && !Arrays.equals(assertion.userHandle(), decode(p.userHandle())))
      return new Proof.Refused("user handle does not match the credential");
    Optional<String> wrong = verify(data, challenge, p);
    if (wrong.isPresent()) return new Proof.Refused(wrong.get());
    if (!store.recordUse(p.id(), data.getAuthenticatorData().getSignCount(), clock.instant()))
      return new Proof.Refused("signature counter did not advance");
    return new Proof.Ok(p);
  }

  private AuthenticationData parse(Assertion assertion) {
    AuthenticationData data;
    try {
      data = WebAuthn.MANAGER.parse(new AuthenticationRequest(assertion.credentialId(), assertion.userHandle(),
          assertion.authenticatorData(), assertion.clientDataJson(), null, assertion.signature()));
    } catch (RuntimeException e) {
      throw new ValidationException("The passkey's response could not be read.");
    }
    if (data.getCollectedClientData() == null || data.getAuthenticatorData() == null)
      throw new ValidationException("The passkey's response is incomplete.");
    return data;
  }

  /**
   * Verifies the assertion against the stored credential {@code p} (origin, RP id, challenge, user
   * verification, signature, counter); empty when it holds, else why not.
   */
  private Optional<String> verify(AuthenticationData data, Challenge challenge, Passkey p) {
    COSEKey coseKey = WebAuthn.CONVERTER.getCborMapper().readValue(decode(p.publicKey()), COSEKey.class);
    CredentialRecordImpl record = new CredentialRecordImpl(null, p.uvInitialized(), p.backupEligible(),
        p.backupState(), p.signCount(), new AttestedCredentialData(new AAGUID(decode(p.aaguid())),
            decode(p.credentialId()), coseKey),
        null, null, null, null);
    try {
      WebAuthn.MANAGER.verify(data, new AuthenticationParameters(serverProperty(challenge), record, null,
          true, true));
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("verification: " + e.getClass().getSimpleName());
    }
  }

  private Accounts.SignIn failed(Optional<User> user, String ip, String why) {
    // The failure itself was counted when the attempt began.
    audit.record(AuditLog.LOGIN_FAILED, user.map(User::id).orElse(null), null, ip, "passkey: " + why);
    return new Accounts.SignIn.Failed();
  }

  private Added refuse(User user, String ip, String why) {
    audit.record(AuditLog.PASSKEY_REFUSED, user.id(), null, ip, why);
    return new Added.Refused("That passkey could not be added. Please try again.");
  }

  /**
   * The WebAuthn user handle: the user's id, random and without personal data as the handle must
   * be, and the same for all of the user's passkeys. Signing in checks it against the credential's.
   */
  private static String userHandle(User user) {
    return B64.encodeToString(user.id().getBytes(StandardCharsets.UTF_8));
  }

  private ServerProperty serverProperty(Challenge challenge) {
    return ServerProperty.builder().origin(origin).rpId(rpId).challenge(challenge).build();
  }

  private String newChallenge(Session session, String purpose, String userId) {
    String challenge = B64.encodeToString(random(32));
    store.saveChallenge(Hashes.sha256(challenge), Hashes.sha256(session.id()), purpose, userId,
        clock.instant().plus(CHALLENGE_TTL));
    return challenge;
  }

  private Optional<String> consume(Challenge challenge, Session session, String purpose) {
    if (challenge == null || challenge.getValue() == null) return Optional.empty();
    return store.consumeChallenge(Hashes.sha256(B64.encodeToString(challenge.getValue())),
        Hashes.sha256(session.id()), purpose, clock.instant());
  }

  private static String cleanName(String name) {
    String clean = name == null ? "" : name.strip();
    if (clean.isEmpty()) throw new ValidationException("Give the passkey a name.");
    if (clean.length() > MAX_NAME_LENGTH || clean.codePoints().anyMatch(Character::isISOControl))
      throw new ValidationException("A passkey's name is at most " + MAX_NAME_LENGTH + " characters, on one line.");
    return clean;
  }

  private static byte[] decode(String base64url) {
    return B64_DECODER.decode(base64url);
  }

  private static byte[] random(int bytes) {
    byte[] out = new byte[bytes];
    RANDOM.nextBytes(out);
    return out;
  }
}
