package com.monei.connect.server;

import com.monei.connect.server.cli.MoneiCommand;

/** Entry point of {@code monei-connect.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = MoneiCommand.run(args, System.in, System.out, System.err);
    if (code != 0 || !MoneiCommand.keepsRunning(args)) System.exit(code);
  }
}
