package com.monei.connect.server.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argon2id verification on reused memory. password4j copies a fresh 19 MiB block array for every
 * hash and allocates two 1 KiB arrays per block it fills, about 100 MB of garbage per sign-in: at
 * 50 sign-ins per second the heap grew past 1 GB. Here each hashing slot keeps one block array
 * and the scratch of {@link Argon2Fill}; the first blocks and the final hash (which also wipes the
 * blocks) are password4j's own private steps. {@link #create} checks the result against
 * password4j's public API and returns null (callers then use that API) if they differ.
 */
final class PooledArgon2 {
  private static final Logger LOG = LoggerFactory.getLogger(PooledArgon2.class);

  /**
   * password4j's private steps, as constants so the JIT links the calls directly (through
   * instance fields every call went through generic method-handle adapters). Null when not found.
   */
  private static final MethodHandle INITIALIZE;
  private static final MethodHandle ENDING;
  private static final MethodHandle INITIAL_MEMORY;
  private static final MethodHandle COPY_OF;
  private static final byte[] NO_PEPPER;
  private static final String UNAVAILABLE;
  private static final int SELF_CHECK_KIB = 64;

  static {
    MethodHandle initialize = null;
    MethodHandle ending = null;
    MethodHandle initialMemory = null;
    MethodHandle copyOf = null;
    byte[] noPepper = null;
    String unavailable = null;
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Argon2Function.class, MethodHandles.lookup());
      initialize = lookup.findVirtual(Argon2Function.class, "initialize",
          MethodType.methodType(void.class, byte[].class, byte[].class, byte[].class, byte[].class, long[][].class));
      ending = lookup.findVirtual(Argon2Function.class, "ending", MethodType.methodType(byte[].class, long[][].class));
      initialMemory = lookup.findGetter(Argon2Function.class, "initialBlockMemory", long[][].class);
      copyOf = lookup.findVirtual(Argon2Function.class, "copyOf",
          MethodType.methodType(long[][].class, long[][].class));
      Class<?> utils = Class.forName("com.password4j.Utils");
      noPepper = (byte[]) MethodHandles.privateLookupIn(utils, MethodHandles.lookup())
          .findStatic(utils, "fromCharSequenceToBytes", MethodType.methodType(byte[].class, CharSequence.class))
          .invoke((CharSequence) null);
    } catch (Throwable t) {
      unavailable = t.toString();
    }
    INITIALIZE = initialize;
    ENDING = ending;
    INITIAL_MEMORY = initialMemory;
    COPY_OF = copyOf;
    NO_PEPPER = noPepper;
    UNAVAILABLE = unavailable;
  }

  private final Argon2Function function;
  /** One block array and its scratch per concurrent hash; the callers' semaphore bounds how many. */
  private final ConcurrentLinkedQueue<Slot> slots = new ConcurrentLinkedQueue<>();

  private record Slot(long[][] blocks, Argon2Fill fill) {}

  private PooledArgon2(Argon2Function function) {
    this.function = function;
  }

  /** The pooled verifier for {@code function}'s parameters, or null when it cannot be trusted here. */
  static PooledArgon2 create(Argon2Function function) {
    if (UNAVAILABLE != null) {
      LOG.warn("password4j internals not reachable ({}); Argon2id uses fresh memory per hash", UNAVAILABLE);
      return null;
    }
    if (function.getParallelism() != 1) return null; // Argon2Fill fills one lane
    try {
      // The private steps are the same for any memory size, so the check runs on 64 KiB: at 19 MiB
      // password4j's own hash left ~100 MB of garbage at the first sign-in, and G1 grew the heap.
      Argon2Function small = Argon2Function.getInstance(SELF_CHECK_KIB, function.getIterations(), 1,
          function.getOutputLength(), function.getVariant(), function.getVersion());
      PooledArgon2 check = new PooledArgon2(small);
      String sample = "pooled-argon2-self-check-\u00fc-" + System.nanoTime();
      String phc = Password.hash(sample).addRandomSalt(16).with(small).getResult();
      if (check.matches(sample, phc) && !check.matches(sample + "x", phc)) return new PooledArgon2(function);
      LOG.warn("password4j internals changed; Argon2id uses fresh memory per hash");
    } catch (RuntimeException e) {
      LOG.warn("password4j internals not usable ({}); Argon2id uses fresh memory per hash", e.toString());
    }
    return null;
  }

  /** True when a hash with {@code fromHash}'s parameters can be verified here. */
  boolean handles(Argon2Function fromHash) {
    return fromHash.getMemory() == function.getMemory() && fromHash.getIterations() == function.getIterations()
        && fromHash.getParallelism() == function.getParallelism() && fromHash.getVariant() == function.getVariant()
        && fromHash.getVersion() == function.getVersion() && fromHash.getOutputLength() == function.getOutputLength();
  }

  /** Whether {@code password} matches {@code phc}: $argon2id$v=19$m=…,t=…,p=…$salt$hash. */
  boolean matches(String password, String phc) {
    String[] parts = phc.split("\\$");
    if (parts.length != 6) return false;
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] salt = b64.decode(parts[4]);
    byte[] expected = b64.decode(parts[5]);
    Slot slot = slots.poll();
    try {
      if (slot == null) {
        slot = new Slot((long[][]) COPY_OF.invokeExact(function, (long[][]) INITIAL_MEMORY.invokeExact(function)),
            new Argon2Fill());
      }
      long[][] blocks = slot.blocks();
      byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
      INITIALIZE.invokeExact(function, bytes, salt, NO_PEPPER, (byte[]) null, blocks);
      slot.fill().fill(blocks, function.getIterations(), Argon2Fill.TYPE_ID);
      byte[] actual = (byte[]) ENDING.invokeExact(function, blocks);
      return MessageDigest.isEqual(actual, expected);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    } finally {
      if (slot != null) slots.offer(slot);
    }
  }
}
