package com.monei.connect.server.cli;

import com.monei.connect.server.Config;
import com.monei.connect.server.ServerApp;
import com.monei.connect.server.account.PasswordHasher;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the authorization server and API.")
final class ServeCommand extends OperatorCommand implements Runnable {
  @Option(names = "--port", defaultValue = "${env:MONEI_PORT:-" + Config.DEFAULT_PORT + "}",
      description = "Port (env MONEI_PORT).")
  int port;

  @Option(names = "--issuer", defaultValue = "${env:MONEI_ISSUER}",
      description = "Issuer URL (env MONEI_ISSUER, default http://localhost:<port>).")
  String issuer;

  @Override
  public void run() {
    // Loading JNA and libargon2 overlaps with opening the database; the server listens only after it.
    CompletableFuture<Void> argon2 = CompletableFuture.runAsync(PasswordHasher::requireNativeLibrary);
    Config config = Config.withEnvironment(
        Config.defaults(port).withDb(db).withIssuer(issuer), System.getenv());
    ServerApp app = ServerApp.create(config, Clock.systemUTC());
    try {
      argon2.join();
    } catch (CompletionException e) {
      app.close();
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    app.start();
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
    print(Map.of("issuer", config.issuer(), "port", app.port()),
        "Monei Connect listening on port " + app.port() + " (issuer " + config.issuer() + ")");
  }
}
