package com.monei.connect.server.cli;

import com.monei.connect.example.ExampleApp;
import com.monei.connect.example.ExampleConfig;
import com.monei.connect.server.Config;
import com.monei.connect.server.ServerApp;
import com.monei.connect.server.Services;
import com.monei.connect.server.account.PasswordHasher;
import com.monei.connect.server.account.User;
import com.monei.connect.server.app.AppRegistration;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A fresh demo on the embedded database: seeded users and balances, the example app ("Your App")
 * registered, then the server and the example app started. Of the MONEI_* variables only the
 * lifetimes and the send-confirmation floor are read (SPEC 3), so the demo otherwise always looks the same.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a seeded demo on a fresh embedded database (data/demo.db).")
final class DemoCommand implements Runnable {
  static final String DB_FILE = "data/demo.db";
  static final String DEMO_EMAIL = "demo@monei.test";
  static final String DEMO_PASSWORD = "demo-password";
  static final String FRIEND_EMAIL = "friend@monei.test";
  static final String FRIEND_PASSWORD = "friend-password";

  @Option(names = "--port", defaultValue = "" + Config.DEFAULT_PORT,
      description = "Monei's port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--example-port", defaultValue = "3000", description = "The example app's port (default ${DEFAULT-VALUE}).")
  int examplePort;

  PrintStream out = System.out;

  @Override
  public void run() {
    PasswordHasher.requireNativeLibrary();
    resetDatabase();
    Config config =
        Config.withDemoEnvironment(Config.defaults(port).withDb("jdbc:sqlite:" + DB_FILE), System.getenv());
    ServerApp app = ServerApp.create(config, Clock.systemUTC());
    Services services = app.services();
    User demo = services.accounts.create(DEMO_EMAIL, "Demo User", DEMO_PASSWORD);
    services.accounts.create(FRIEND_EMAIL, "Friendly Friend", FRIEND_PASSWORD);
    services.wallets.credit(demo.id(), "NGN", "50000.00");
    services.wallets.credit(demo.id(), "USD", "200.00");
    String callback = "http://localhost:" + examplePort + "/monei/callback";
    AppRegistration.Registered example =
        services.registration.register("Your App", List.of(callback), null, false, demo.id());
    app.start();
    ExampleApp yourApp;
    try {
      yourApp = ExampleApp.create(ExampleConfig.of(examplePort, config.issuer(), example.app().clientId(),
          example.clientSecret(), callback)).start();
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      yourApp.close();
      app.close();
    }, "shutdown"));
    out.println();
    out.println("Monei Connect demo is running.");
    out.println("  Open Your App: http://localhost:" + examplePort + "/");
    out.println("  Sign in as     " + DEMO_EMAIL + " / " + DEMO_PASSWORD + "   (send money to " + FRIEND_EMAIL
        + ", password " + FRIEND_PASSWORD + ")");
    out.println("  Monei:         " + config.issuer() + "   (your connected apps: " + config.issuer()
        + "/account/connections)");
    out.println("  Your App is registered at Monei as client_id " + example.app().clientId() + ", client_secret "
        + example.clientSecret() + ", redirect URI " + callback);
    out.println("Press Ctrl+C to stop.");
  }

  private static void resetDatabase() {
    try {
      for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(Path.of(DB_FILE + suffix));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset " + DB_FILE, e);
    }
  }
}
