package com.monei.connect.server.token;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under one named server key, for the few secrets the server must read back (a client
 * secret on its way to be shown once, a user's TOTP secret). A sealed box is a fresh 96-bit nonce
 * followed by the ciphertext and its tag; the associated data binds it to what it belongs to, so a
 * box moved to another row or purpose does not open. Each purpose has a key of its own.
 */
public final class ServerKeyCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServerKeyStore keys;
  private final String keyName;

  public ServerKeyCipher(ServerKeyStore keys, String keyName) {
    this.keys = keys;
    this.keyName = keyName;
  }

  /** Encrypts {@code plaintext} bound to {@code aad}: nonce, then ciphertext and tag. */
  public byte[] seal(byte[] aad, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, aad, plaintext);
    return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
  }

  /** The plaintext of a box sealed with the same key and {@code aad}; empty when it is short, forged or damaged. */
  public Optional<byte[]> open(byte[] aad, byte[] box) {
    if (box == null || box.length < NONCE_BYTES + TAG_BITS / 8) return Optional.empty();
    byte[] nonce = Arrays.copyOfRange(box, 0, NONCE_BYTES);
    byte[] ciphertext = Arrays.copyOfRange(box, NONCE_BYTES, box.length);
    return Optional.ofNullable(crypt(Cipher.DECRYPT_MODE, nonce, aad, ciphertext));
  }

  /** AES-GCM one way or the other; null when decryption finds the value forged or damaged. */
  private byte[] crypt(int mode, byte[] nonce, byte[] aad, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(keys.key(keyName), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
