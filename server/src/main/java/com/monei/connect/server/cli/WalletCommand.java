package com.monei.connect.server.cli;

import com.monei.connect.server.Services;
import com.monei.connect.server.account.User;
import com.monei.connect.server.validation.ValidationException;
import com.monei.connect.server.wallet.Amounts;
import com.monei.connect.server.wallet.Wallets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "wallet", description = "Operator actions on wallets.", subcommands = {WalletCommand.Credit.class})
final class WalletCommand {

  @Command(name = "credit", mixinStandardHelpOptions = true,
      description = "Credit a user's wallet from the system funding account.")
  static final class Credit extends OperatorCommand implements Runnable {
    @Option(names = "--email", required = true) String email;
    @Option(names = "--currency", required = true) String currency;
    @Option(names = "--amount", required = true, description = "Decimal amount, e.g. 1500.00") String amount;

    @Override
    public void run() {
      try (Services services = openServices()) {
        User user = services.accounts.findByEmail(email)
            .orElseThrow(() -> new ValidationException("no user with email " + email));
        Wallets.Credited credited = services.wallets.credit(user.id(), currency, amount);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("transaction_id", credited.transactionId());
        result.put("wallet_id", credited.walletId());
        result.put("currency", credited.currency().code());
        result.put("amount", Amounts.format(credited.amountMinor(), credited.currency()));
        result.put("balance", Amounts.format(credited.balanceMinor(), credited.currency()));
        print(result, "Credited " + credited.currency().code() + " " + result.get("amount") + " to " + user.email()
            + "; balance " + result.get("balance"));
      }
    }
  }
}
