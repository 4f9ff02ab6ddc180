package com.monei.connect.server.token;

/** Server-side keys shared by every process. */
public interface ServerKeyStore {
  /** The key named {@code name}, created on first use; concurrent first uses agree on one key. */
  byte[] key(String name);
}
