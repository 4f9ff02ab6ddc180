package com.monei.connect.server.cli;

import com.monei.connect.server.Services;
import com.monei.connect.server.account.Accounts;
import com.monei.connect.server.account.PasswordChange;
import com.monei.connect.server.account.PasswordHasher;
import com.monei.connect.server.account.TwoStepVerification;
import com.monei.connect.server.account.User;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "users", description = "Manage Monei users.",
    subcommands = {UsersCommand.Create.class, UsersCommand.SetPassword.class, UsersCommand.ResetTwoStep.class})
final class UsersCommand {

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user.")
  static final class Create extends OperatorCommand implements Runnable {
    @Option(names = "--email", required = true) String email;
    @Option(names = "--name", required = true) String name;
    @Option(names = "--password-stdin", required = true, description = "Read the password from standard input.")
    boolean passwordStdin;

    @Override
    public void run() {
      PasswordHasher.requireNativeLibrary();
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

  @Command(name = "set-password", mixinStandardHelpOptions = true,
      description = "Set a user's password; revokes every refresh token and ends every session of the user.")
  static final class SetPassword extends OperatorCommand implements Runnable {
    @Option(names = "--email", required = true) String email;
    @Option(names = "--password-stdin", required = true, description = "Read the password from standard input.")
    boolean passwordStdin;

    @Override
    public void run() {
      PasswordHasher.requireNativeLibrary();
      String password = readSecretFromStdin();
      try (Services services = openServices()) {
        PasswordChange.Result changed = services.passwordChange.change(email, password);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("email", Accounts.normalizeEmail(email));
        result.put("revoked_token_families", changed.revokedFamilies());
        result.put("ended_sessions", changed.endedSessions());
        print(result, "Password changed for " + result.get("email") + "; " + changed.revokedFamilies()
            + " token families revoked, " + changed.endedSessions() + " sessions ended");
      }
    }
  }

  @Command(name = "reset-2fa", mixinStandardHelpOptions = true,
      description = "Turn a user's two-step verification off (a lost device): removes the authenticator app and "
          + "the recovery codes, and ends every session of the user.")
  static final class ResetTwoStep extends OperatorCommand implements Runnable {
    @Option(names = "--email", required = true) String email;

    @Override
    public void run() {
      try (Services services = openServices()) {
        TwoStepVerification.Reset reset = services.twoStep.reset(email);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("email", Accounts.normalizeEmail(email));
        result.put("was_enabled", reset.wasEnabled());
        result.put("removed_recovery_codes", reset.removedRecoveryCodes());
        result.put("removed_passkeys", reset.removedPasskeys());
        result.put("ended_sessions", reset.endedSessions());
        print(result, "Two-step verification is off for " + result.get("email") + " (it was "
            + (reset.wasEnabled() ? "on" : "off") + "); " + reset.removedRecoveryCodes() + " recovery codes removed, "
            + reset.removedPasskeys() + " passkeys removed, " + reset.endedSessions() + " sessions ended");
      }
    }
  }
}
