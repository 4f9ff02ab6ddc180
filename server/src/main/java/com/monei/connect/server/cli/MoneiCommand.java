package com.monei.connect.server.cli;

import com.monei.connect.server.account.HashingUnavailableException;
import com.monei.connect.server.validation.ValidationException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: {@code java -jar monei-connect.jar <command>}. */
@Command(name = "monei-connect", mixinStandardHelpOptions = true, version = "Monei Connect 0.1",
    description = "The Monei Connect authorization server and its operator commands.",
    subcommands = {ServeCommand.class, DemoCommand.class, UsersCommand.class, AppsCommand.class, WalletCommand.class})
public final class MoneiCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: serve, demo, users, apps or wallet");
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new MoneiCommand(), new IoFactory(in, out));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      // The operator's own input or settings refused, no libargon2 on this platform, or a file the
      // command could not read or write: each is one line for the operator. Anything else is a
      // fault and keeps its stack trace.
      if (e instanceof ValidationException || e instanceof HashingUnavailableException
          || e instanceof UncheckedIOException) {
        commandLine.getErr().println("error: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cli.execute(args);
  }

  /** True for commands that leave a server running after main returns. */
  public static boolean keepsRunning(String[] args) {
    return args.length > 0 && (args[0].equals("serve") || args[0].equals("demo"));
  }

  /** Gives commands the streams the caller chose, so tests can drive them in-process. */
  private record IoFactory(InputStream in, PrintStream out) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K instance = CommandLine.defaultFactory().create(cls);
      if (instance instanceof OperatorCommand command) command.io(in, out);
      return instance;
    }
  }
}
