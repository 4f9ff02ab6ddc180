package com.monei.connect.server.cli;

import com.monei.connect.server.Services;
import com.monei.connect.server.account.User;
import com.monei.connect.server.app.AppRegistration;
import com.monei.connect.server.validation.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apps", description = "Manage registered apps.", subcommands = {AppsCommand.Create.class,
    AppsCommand.Verify.class, AppsCommand.RevokePreviousSecret.class})
final class AppsCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Register an app; prints its client_id and, for confidential apps, the secret (shown once).")
  static final class Create extends OperatorCommand implements Runnable {
    @Option(names = "--name", required = true) String name;
    @Option(names = "--redirect-uri", required = true, description = "A redirect URI; repeat for several.")
    List<String> redirectUris;
    @Option(names = "--logo-file", description = "PNG or JPEG, at most 100 KB.") Path logoFile;
    @Option(names = "--public", description = "A public app (no secret; PKCE required).") boolean isPublic;
    @Option(names = "--owner", description = "Email of the user who owns the app.") String owner;
    @Option(names = "--resource-server",
        description = "The app may also introspect other apps' access tokens (confidential apps only).")
    boolean resourceServer;
    @Option(names = "--website", description = "The app's website (https), linked on the consent screen.")
    String website;
    @Option(names = "--privacy-url", description = "The app's privacy policy (https), linked on the consent screen.")
    String privacyUrl;

    @Override
    public void run() {
      byte[] logo = null;
      if (logoFile != null) {
        try {
          if (Files.size(logoFile) > AppRegistration.MAX_LOGO_BYTES)
            throw new ValidationException("The logo must be a PNG or JPEG of at most 100 KB.");
          logo = Files.readAllBytes(logoFile);
        } catch (IOException e) {
          throw new ValidationException("cannot read the logo file " + logoFile);
        }
      }
      try (Services services = openServices()) {
        String ownerId = null;
        if (owner != null) {
          ownerId = services.accounts.findByEmail(owner).map(User::id)
              .orElseThrow(() -> new ValidationException("no user with email " + owner));
        }
        AppRegistration.Registered registered =
            services.registration.register(name, redirectUris, logo, isPublic, ownerId, resourceServer, website,
                privacyUrl);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client_id", registered.app().clientId());
        if (registered.clientSecret() != null) result.put("client_secret", registered.clientSecret());
        result.put("name", registered.app().name());
        result.put("public", registered.app().isPublic());
        result.put("redirect_uris", registered.app().redirectUris());
        result.put("resource_server", registered.app().resourceServer());
        result.put("website", registered.app().websiteUrl());
        result.put("privacy_url", registered.app().privacyUrl());
        String human = "client_id:     " + registered.app().clientId()
            + (registered.clientSecret() == null ? "\n(public app: no client secret; use PKCE)"
                : "\nclient_secret: " + registered.clientSecret() + "\n(the secret is shown only once)")
            + (registered.app().resourceServer()
                ? "\n(resource server: may introspect other apps' access tokens)" : "");
        print(result, human);
      }
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Mark an app as verified: the consent screen stops saying Monei has not verified it.")
  static final class Verify extends OperatorCommand implements Runnable {
    @Option(names = "--client-id", required = true) String clientId;

    @Override
    public void run() {
      try (Services services = openServices()) {
        var app = services.registration.verify(clientId);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client_id", app.clientId());
        result.put("name", app.name());
        result.put("verified", app.verified());
        print(result, "Verified " + app.name() + " (" + app.clientId() + ").");
      }
    }
  }

  @Command(name = "revoke-previous-secret", mixinStandardHelpOptions = true,
      description = "End a rotated secret's overlap now: only the app's current secret works from now on.")
  static final class RevokePreviousSecret extends OperatorCommand implements Runnable {
    @Option(names = "--client-id", required = true) String clientId;

    @Override
    public void run() {
      try (Services services = openServices()) {
        int revoked = services.registration.revokePreviousSecrets(clientId);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client_id", clientId);
        result.put("previous_secrets_revoked", revoked);
        print(result, revoked == 0 ? "No previous secret of " + clientId + " was still working."
            : "Revoked " + revoked + " previous secret" + (revoked == 1 ? "" : "s") + " of " + clientId
                + "; only the current secret works now.");
      }
    }
  }
}
