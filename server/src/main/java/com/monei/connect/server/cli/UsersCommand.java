package com.monei.connect.server.cli;

import com.monei.connect.server.Services;
import com.monei.connect.server.account.User;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "users", description = "Manage Monei users.", subcommands = {UsersCommand.Create.class})
final class UsersCommand {

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user.")
  static final class Create extends OperatorCommand implements Runnable {
    @Option(names = "--email", required = true) String email;
    @Option(names = "--name", required = true) String name;
    @Option(names = "--password-stdin", required = true, description = "Read the password from standard input.")
    boolean passwordStdin;

    @Override
    public void run() {
      String password = readSecretFromStdin();
      try (Services services = openServices()) {
        User user = services.accounts.create(email, name, password);
        services.wallets.walletOf(user.id());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", user.id());
        result.put("email", user.email());
        result.put("name", user.name());
        print(result, "Created user " + user.email() + " (" + user.id() + ")");
      }
    }
  }
}
