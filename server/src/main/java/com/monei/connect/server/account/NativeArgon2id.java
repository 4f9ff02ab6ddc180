package com.monei.connect.server.account;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import de.mkammerer.argon2.jna.Argon2Library;
import de.mkammerer.argon2.jna.Argon2_context;
import de.mkammerer.argon2.jna.Argon2_version;
import de.mkammerer.argon2.jna.JnaUint32;
import de.mkammerer.argon2.jna.Size_t;
import java.util.concurrent.atomic.LongAdder;

/**
 * Argon2id by libargon2's context functions (argon2id_ctx, argon2id_verify_ctx, through
 * argon2-jvm's JNA binding), working in memory that we hand it: one block per hashing thread, kept
 * and reused. Left to itself libargon2 mallocs and frees its 19 MiB for every hash, and glibc keeps
 * such freed blocks, fragmented by the small allocations that land beside them, in each thread's
 * arena: the resident memory of a server under sign-ins grew by several blocks per arena. A block's
 * pages go back to the kernel when its thread has been idle a while ({@link #releaseBlock()}).
 */
final class NativeArgon2id {
  private static final int ARGON2_OK = 0;
  private static final int ARGON2_MEMORY_ALLOCATION_ERROR = -22;

  /** The memory of the hashing thread's hashes; replaced only when a hash asks for more. */
  private static final ThreadLocal<Memory> BLOCKS = new ThreadLocal<>();
  private static final LongAdder BLOCKS_MADE = new LongAdder();
  private static final LongAdder BLOCKS_RELEASED = new LongAdder();

  /** libargon2's allocate_cbk: {@code int (*)(uint8_t **memory, size_t bytes)}. */
  public interface Allocate extends Callback {
    int invoke(Pointer memory, Size_t bytes);
  }

  /** libargon2's deallocate_cbk: the block stays with its thread, so nothing is freed. */
  public interface Keep extends Callback {
    void invoke(Pointer memory, Size_t bytes);
  }

  // Held in fields for the life of the class: JNA frees a callback's native stub once it is unreachable.
  private static final Allocate ALLOCATE = new Allocate() {
    @Override
    public int invoke(Pointer memory, Size_t bytes) {
      long size = bytes.longValue();
      Memory block = BLOCKS.get();
      if (block == null || block.size() < size) {
        try {
          block = new Memory(size);
        } catch (OutOfMemoryError e) {
          return ARGON2_MEMORY_ALLOCATION_ERROR;
        }
        PageAdvice.preferHugePages(block);
        BLOCKS.set(block);
        BLOCKS_MADE.increment();
      }
      memory.setPointer(0, block);
      return ARGON2_OK;
    }
  };
  private static final Keep KEEP = new Keep() {
    @Override
    public void invoke(Pointer memory, Size_t bytes) {
      // libargon2 has wiped the block already (its default clear_internal_memory).
    }
  };
  private static final Pointer ALLOCATE_FN = CallbackReference.getFunctionPointer(ALLOCATE);
  private static final Pointer KEEP_FN = CallbackReference.getFunctionPointer(KEEP);

  private NativeArgon2id() {}

  /** How many blocks the hashing threads have made so far (for tests: one per thread and size). */
  static long blocksMade() {
    return BLOCKS_MADE.sum();
  }

  /** How many times a hashing thread has given its block's pages back while idle (for tests). */
  static long blocksReleased() {
    return BLOCKS_RELEASED.sum();
  }

  /**
   * Gives the calling hashing thread's block back to the kernel, keeping its address: the next
   * hash on this thread faults its pages in again. For a thread that has had nothing to hash for a
   * while, so that a server between sign-in bursts does not hold 19 MiB per core it is not using.
   */
  static void releaseBlock() {
    Memory block = BLOCKS.get();
    if (block != null && PageAdvice.release(block)) BLOCKS_RELEASED.increment();
  }

  /** The raw Argon2id hash of {@code password}; null if libargon2 refused the parameters. */
  static byte[] hash(byte[] password, Phc parameters) {
    Memory out = new Memory(parameters.hashLength());
    Argon2_context.ByReference context = context(password, parameters, out);
    try {
      if (Argon2Library.INSTANCE.argon2id_ctx(context) != ARGON2_OK) return null;
      return out.getByteArray(0, parameters.hashLength());
    } finally {
      wipe(context, out);
    }
  }

  /** Whether {@code password} hashes to {@code expected}'s hash; libargon2 compares in constant time. */
  static boolean verify(byte[] password, Phc expected) {
    Memory out = new Memory(expected.hashLength());
    Argon2_context.ByReference context = context(password, expected, out);
    try {
      return Argon2Library.INSTANCE.argon2id_verify_ctx(context, expected.hash()) == ARGON2_OK;
    } finally {
      wipe(context, out);
    }
  }

  private static Argon2_context.ByReference context(byte[] password, Phc parameters, Memory out) {
    Argon2_context.ByReference context = new Argon2_context.ByReference();
    context.out = out;
    context.outlen = new JnaUint32(parameters.hashLength());
    context.pwd = copy(password);
    context.pwdlen = new JnaUint32(password.length);
    context.salt = copy(parameters.salt());
    context.saltlen = new JnaUint32(parameters.salt().length);
    context.secret = null;
    context.secretlen = new JnaUint32(0);
    context.ad = null;
    context.adlen = new JnaUint32(0);
    context.t_cost = new JnaUint32(parameters.iterations());
    context.m_cost = new JnaUint32(parameters.memoryKib());
    context.lanes = new JnaUint32(parameters.parallelism());
    // Lanes are computed one after the other on the calling thread, whose block the callback hands out.
    context.threads = new JnaUint32(1);
    context.version = new Argon2_version(parameters.version());
    context.allocate_cbk = ALLOCATE_FN;
    context.free_cbk = KEEP_FN;
    context.flags = new JnaUint32(0);
    return context;
  }

  /** Native copies, since libargon2 reads through pointers; an empty array still gets a valid pointer. */
  private static Memory copy(byte[] bytes) {
    Memory memory = new Memory(Math.max(1, bytes.length));
    memory.write(0, bytes, 0, bytes.length);
    return memory;
  }

  private static void wipe(Argon2_context context, Memory out) {
    ((Memory) context.pwd).clear();
    out.clear();
  }
}
