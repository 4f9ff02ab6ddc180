package com.monei.connect.server.account;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * What the hashing threads tell the kernel about their 19 MiB blocks, through libc's
 * {@code madvise}: on 64-bit Linux only, where the advice's numbers and effects are the ones below.
 * Elsewhere, or if libc cannot be loaded, there is no advice and a block simply stays resident.
 */
final class PageAdvice {
  /** Linux: the pages are dropped now and read as zeros at the next touch (private anonymous memory). */
  private static final int MADV_DONTNEED = 4;

  /** Linux: back the range with 2 MiB pages where it can (transparent huge pages). */
  private static final int MADV_HUGEPAGE = 14;

  /** The part of libc this needs. */
  public interface C extends Library {
    int madvise(Pointer address, long length, int advice);

    int getpagesize();
  }

  private static final C LIBC = load();
  private static final long PAGE = LIBC == null ? 0 : LIBC.getpagesize();

  private PageAdvice() {}

  private static C load() {
    if (!Platform.isLinux() || !Platform.is64Bit()) return null;
    try {
      return Native.load(Platform.C_LIBRARY_NAME, C.class);
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
  }

  /** Whether blocks can be given back here. */
  static boolean supported() {
    return LIBC != null && PAGE > 0;
  }

  /**
   * Asks for transparent huge pages under {@code block}, before its first touch: Argon2 reads its
   * 19 MiB in an order it cannot predict, and 2 MiB pages take most of the TLB misses out of that.
   * A kernel set to "never" ignores it. Whether the kernel took the advice.
   */
  static boolean preferHugePages(Memory block) {
    return advise(block, MADV_HUGEPAGE);
  }

  /**
   * Gives the whole pages inside {@code block} back to the kernel, keeping the block itself: its
   * address stays valid and its contents read as zeros. Whether anything was given back.
   */
  static boolean release(Memory block) {
    return advise(block, MADV_DONTNEED);
  }

  /** madvise over the whole pages inside the block: malloc's header before it shares a page with it. */
  private static boolean advise(Memory block, int advice) {
    if (!supported()) return false;
    long start = Pointer.nativeValue(block);
    long first = (start + PAGE - 1) / PAGE * PAGE;
    long end = (start + block.size()) / PAGE * PAGE;
    if (end <= first) return false;
    return LIBC.madvise(new Pointer(first), end - first, advice) == 0;
  }
}
