package com.monei.connect.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How {@link JdbcTokenStore} encrypts tokens at rest: AES-256-GCM under a key the app supplies (keep
 * it outside the database, e.g. in a secret manager), with a random 96-bit nonce per write and the
 * user key as associated data, so a row copied onto another user does not decrypt. Each row records
 * the id of the key that wrote it, so keys can rotate:
 *
 * <pre>{@code
 * TokenEncryption encryption = TokenEncryption.aesGcm("2031-01", newKey)   // writes with this one
 *     .withPreviousKey("2030-01", oldKey);                                // still reads rows of this one
 * }</pre>
 *
 * <p>Rows of a previous key are rewritten with the current key the next time the SDK saves them (at
 * the next token refresh); once no row names the old id, drop {@code withPreviousKey}. Immutable and
 * thread-safe; {@link #toString()} shows key ids, never keys.
 */
public final class TokenEncryption {
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MAX_KEY_ID_LENGTH = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String currentKeyId;
  /** Every key by id, the current one included. */
  private final Map<String, SecretKeySpec> keys;

  private TokenEncryption(String currentKeyId, Map<String, SecretKeySpec> keys) {
    this.currentKeyId = currentKeyId;
    this.keys = Collections.unmodifiableMap(keys);
  }

  /**
   * Encryption with the 32-byte AES-256 key {@code key32}, recorded in each row as {@code keyId}.
   *
   * @param keyId a name for the key, 1 to 64 printable ASCII characters, e.g. {@code "2030-01"}
   * @param key32 32 random bytes (e.g. from {@code openssl rand -base64 32}); the array is copied
   * @throws IllegalArgumentException when the key is not 32 bytes or the id is empty or too long
   */
  public static TokenEncryption aesGcm(String keyId, byte[] key32) {
    Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    keys.put(checkId(keyId), key(keyId, key32));
    return new TokenEncryption(keyId, keys);
  }

  /**
   * This encryption, also able to read rows written with an older key; new rows are still written
   * with the current key.
   *
   * @throws IllegalArgumentException when the key is not 32 bytes, or the id is invalid or already used
   */
  public TokenEncryption withPreviousKey(String keyId, byte[] key32) {
    if (keys.containsKey(checkId(keyId)))
      throw new IllegalArgumentException("The key id \"" + keyId + "\" is already in use; give each key its own id");
    Map<String, SecretKeySpec> more = new LinkedHashMap<>(keys);
    more.put(keyId, key(keyId, key32));
    return new TokenEncryption(currentKeyId, more);
  }

  /** The id of the key new rows are written with. */
  public String currentKeyId() {
    return currentKeyId;
  }

  /** Whether rows written with {@code keyId} can be read. */
  public boolean canRead(String keyId) {
    return keys.containsKey(keyId);
  }

  /** {@code plaintext} sealed with the current key: the nonce followed by the ciphertext and tag. */
  byte[] seal(String userKey, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(userKey.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /**
   * The plaintext of a row {@code keyId} sealed for {@code userKey}.
   *
   * @throws IllegalStateException when the key is unknown, or the row does not decrypt (a wrong key
   *     under that id, a row altered or moved to another user)
   */
  byte[] open(String keyId, String userKey, byte[] sealed) {
    SecretKeySpec key = keys.get(keyId);
    if (key == null)
      throw new IllegalStateException("The tokens of this user were encrypted with key id \"" + keyId
          + "\", which this TokenEncryption does not have (it has " + keys.keySet()
          + "); add that key with withPreviousKey");
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8)
      throw new IllegalStateException("The stored tokens are truncated");
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(userKey.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("The stored tokens do not decrypt with key id \"" + keyId
          + "\": the key under that id is not the one that wrote them, or the row was altered", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  private static String checkId(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH || !keyId.chars().allMatch(c -> c > 0x20 && c < 0x7F))
      throw new IllegalArgumentException("A key id is 1 to " + MAX_KEY_ID_LENGTH
          + " printable ASCII characters without spaces");
    return keyId;
  }

  private static SecretKeySpec key(String keyId, byte[] key32) {
    Objects.requireNonNull(key32, "key32");
    if (key32.length != 32)
      throw new IllegalArgumentException("The key \"" + keyId + "\" must be 32 bytes (AES-256), not " + key32.length
          + "; generate one with openssl rand -base64 32 and decode it");
    return new SecretKeySpec(key32.clone(), "AES");
  }

  @Override
  public String toString() {
    return "TokenEncryption[AES-256-GCM, current=" + currentKeyId + ", keys=" + keys.keySet() + "]";
  }
}
