package com.monei.connect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by the server process (user + system, from /proc/PID/stat), so each workload can
 * report the server's CPU per operation apart from the load generator's on the same cores.
 */
final class ServerCpu {
  /** Linux's USER_HZ, the unit of utime and stime in /proc; 100 on every mainstream kernel. */
  private static final double TICKS_PER_SECOND = 100.0;
  private static volatile long pid = -1;

  private ServerCpu() {}

  static void watch(long serverPid) {
    pid = serverPid;
  }

  /** Seconds of CPU the server has used so far, or NaN when unknown. */
  static double seconds() {
    if (pid <= 0) return Double.NaN;
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may contain spaces) in parentheses; utime and stime are 14 and 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
