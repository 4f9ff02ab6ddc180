package com.monei.connect.server.account;

/**
 * The memory-filling passes of Argon2 (RFC 9106 §3.4; one lane, version 1.3) on caller-owned
 * scratch blocks. password4j's own fill allocates two 1 KiB arrays for every block it computes,
 * about 80 MB per hash at 19 MiB, which kept the collector busy and the heap large under sign-in
 * load. The first blocks and the final hash stay password4j's; PooledArgon2 checks the whole
 * against password4j's public API before using it.
 */
final class Argon2Fill {
  static final int TYPE_ID = 2;
  private static final int SYNC_POINTS = 4;
  private static final int QWORDS = 128;

  private final long[] r = new long[QWORDS];
  private final long[] tmp = new long[QWORDS];
  private final long[] address = new long[QWORDS];
  private final long[] input = new long[QWORDS];
  private final long[] zero = new long[QWORDS];

  /** Fills {@code memory} (blocks 0 and 1 already set) for {@code passes} passes of Argon2{@code type}. */
  void fill(long[][] memory, int passes, int type) {
    int laneLength = memory.length;
    int segmentLength = laneLength / SYNC_POINTS;
    for (int pass = 0; pass < passes; pass++) {
      for (int slice = 0; slice < SYNC_POINTS; slice++) {
        fillSegment(memory, pass, slice, passes, type, laneLength, segmentLength);
      }
    }
  }

  private void fillSegment(long[][] memory, int pass, int slice, int passes, int type, int laneLength,
      int segmentLength) {
    boolean independent = type == 1 || (type == TYPE_ID && pass == 0 && slice < SYNC_POINTS / 2);
    if (independent) {
      java.util.Arrays.fill(input, 0);
      input[0] = pass;
      input[1] = 0;
      input[2] = slice;
      input[3] = laneLength;
      input[4] = passes;
      input[5] = type;
    }
    int start = 0;
    if (pass == 0 && slice == 0) {
      start = 2;
      if (independent) nextAddresses();
    }
    int current = slice * segmentLength + start;
    int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
    for (int i = start; i < segmentLength; i++, current++, previous++) {
      if (current % laneLength == 1) previous = current - 1;
      long pseudoRandom;
      if (independent) {
        if (i % QWORDS == 0) nextAddresses();
        pseudoRandom = address[i % QWORDS];
      } else {
        pseudoRandom = memory[previous][0];
      }
      int reference = referenceIndex(pass, slice, i, pseudoRandom & 0xFFFFFFFFL, laneLength, segmentLength);
      fillBlock(memory[previous], memory[reference], memory[current], pass != 0);
    }
  }

  /** index_alpha for one lane: the reference block within the lane. */
  private static int referenceIndex(int pass, int slice, int index, long pseudoRandom, int laneLength,
      int segmentLength) {
    long areaSize;
    if (pass == 0) {
      areaSize = slice == 0 ? index - 1 : (long) slice * segmentLength + index - 1;
    } else {
      areaSize = laneLength - segmentLength + index - 1;
    }
    long relative = (pseudoRandom * pseudoRandom) >>> 32;
    relative = areaSize - 1 - ((areaSize * relative) >>> 32);
    long start = 0;
    if (pass != 0) start = slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength;
    return (int) ((start + relative) % laneLength);
  }

  private void nextAddresses() {
    input[6]++;
    fillBlock(zero, input, address, false);
    fillBlock(zero, address, address, false);
  }

  /** next = G(prev, ref) (xor next's old contents in later passes), with the scratch blocks. */
  private void fillBlock(long[] previous, long[] reference, long[] next, boolean withXor) {
    for (int i = 0; i < QWORDS; i++) r[i] = reference[i] ^ previous[i];
    if (withXor) {
      for (int i = 0; i < QWORDS; i++) tmp[i] = r[i] ^ next[i];
    } else {
      System.arraycopy(r, 0, tmp, 0, QWORDS);
    }
    for (int i = 0; i < 8; i++) {
      int b = 16 * i;
      round(r, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13,
          b + 14, b + 15);
    }
    for (int i = 0; i < 8; i++) {
      int b = 2 * i;
      round(r, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81, b + 96,
          b + 97, b + 112, b + 113);
    }
    for (int i = 0; i < QWORDS; i++) next[i] = tmp[i] ^ r[i];
  }

  private static void round(long[] v, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7, int v8, int v9,
      int v10, int v11, int v12, int v13, int v14, int v15) {
    g(v, v0, v4, v8, v12);
    g(v, v1, v5, v9, v13);
    g(v, v2, v6, v10, v14);
    g(v, v3, v7, v11, v15);
    g(v, v0, v5, v10, v15);
    g(v, v1, v6, v11, v12);
    g(v, v2, v7, v8, v13);
    g(v, v3, v4, v9, v14);
  }

  private static void g(long[] v, int a, int b, int c, int d) {
    v[a] = blaMka(v[a], v[b]);
    v[d] = Long.rotateRight(v[d] ^ v[a], 32);
    v[c] = blaMka(v[c], v[d]);
    v[b] = Long.rotateRight(v[b] ^ v[c], 24);
    v[a] = blaMka(v[a], v[b]);
    v[d] = Long.rotateRight(v[d] ^ v[a], 16);
    v[c] = blaMka(v[c], v[d]);
    v[b] = Long.rotateRight(v[b] ^ v[c], 63);
  }

  private static long blaMka(long x, long y) {
    return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
  }
}
