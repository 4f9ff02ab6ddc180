package com.monei.connect.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A passkey held by the test: a P-256 key pair and a counter, making the registration and sign-in
 * responses an authenticator and browser would send (attestation "none"), so tests can send them,
 * or forge them for another origin, RP id or user, over HTTP. The browser tests use Chromium's own
 * virtual authenticator instead.
 */
public final class SoftwarePasskey {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectConverter CONVERTER = new ObjectConverter();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final byte UP = 0x01;
  private static final byte UV = 0x04;
  private static final byte AT = 0x40;

  private final KeyPair keys;
  private final byte[] credentialId = new byte[32];
  private byte[] userHandle;
  private long counter;

  public SoftwarePasskey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    new SecureRandom().nextBytes(credentialId);
  }

  public String credentialId() {
    return B64.encodeToString(credentialId);
  }

  /** The user handle the creation options gave this passkey. */
  public String userHandle() {
    return userHandle == null ? null : B64.encodeToString(userHandle);
  }

  /**
   * The {@code credential} a browser posts after navigator.credentials.create with {@code options}
   * (the server's PublicKeyCredentialCreationOptions), at {@code origin}, with user verification.
   */
  public ObjectNode register(JsonNode options, String origin) {
    userHandle = Base64.getUrlDecoder().decode(options.path("user").path("id").asText());
    String rpId = options.path("rp").path("id").asText();
    byte[] clientData = clientData("webauthn.create", options.path("challenge").asText(), origin);
    AuthenticatorData<?> authData = new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)),
        (byte) (UP | UV | AT), counter, new AttestedCredentialData(AAGUID.ZERO, credentialId,
            EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256)));
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] attestation = new AttestationObjectConverter(CONVERTER).convertToBytes(
        new AttestationObject((AuthenticatorData) authData, new NoneAttestationStatement()));
    ObjectNode credential = credential();
    ObjectNode response = credential.putObject("response");
    response.put("clientDataJSON", B64.encodeToString(clientData));
    response.put("attestationObject", B64.encodeToString(attestation));
    response.putArray("transports").add("internal");
    return credential;
  }

  /** The {@code credential} a browser posts after navigator.credentials.get with this challenge. */
  public ObjectNode assertion(String challenge, String origin, String rpId) {
    return assertion(challenge, origin, rpId, userHandle(), (byte) (UP | UV));
  }

  /** An assertion as the one above, with every part a forger might change given explicitly. */
  public ObjectNode assertion(String challenge, String origin, String rpId, String handle, byte flags) {
    counter++;
    byte[] clientData = clientData("webauthn.get", challenge, origin);
    byte[] authData = new AuthenticatorDataConverter(CONVERTER).convert(
        new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags, counter));
    byte[] signature;
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(authData);
      signer.update(sha256(clientData));
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    ObjectNode credential = credential();
    ObjectNode response = credential.putObject("response");
    response.put("clientDataJSON", B64.encodeToString(clientData));
    response.put("authenticatorData", B64.encodeToString(authData));
    response.put("signature", B64.encodeToString(signature));
    if (handle != null) response.put("userHandle", handle);
    return credential;
  }

  private ObjectNode credential() {
    ObjectNode credential = JSON.createObjectNode();
    credential.put("id", credentialId());
    credential.put("rawId", credentialId());
    credential.put("type", "public-key");
    return credential;
  }

  private static byte[] clientData(String type, String challenge, String origin) {
    ObjectNode data = JSON.createObjectNode();
    data.put("type", type);
    data.put("challenge", challenge);
    data.put("origin", origin);
    data.put("crossOrigin", false);
    return data.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
