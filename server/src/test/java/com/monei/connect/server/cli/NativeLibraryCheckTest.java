package com.monei.connect.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.monei.connect.server.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without libargon2 no one can sign in, so the commands that hash stop at start (serve before it
 * listens), with one line that names the platform. The JVM here is told not to unpack JNA's own
 * native stub from the class path, which fails the load as a platform without a native build does.
 */
class NativeLibraryCheckTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  private Run run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djna.noclasspath=true", "-Djna.nosys=true",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("MONEI_") || k.equals("JAVA_TOOL_OPTIONS"));
    Process process = builder.start();
    try (var in = process.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out, Files.readString(err));
  }

  private static void assertOneLineNamingThePlatform(Run run) {
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(run.err()).hasSize(1);
    assertThat(lines.get(0)).startsWith("error: cannot load libargon2")
        .contains(" on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " ");
  }

  @Test
  void serveWhenLibargon2CannotLoadThenStopsAtStartWithOneLine() throws Exception {
    Path db = dir.resolve("serve.db");
    Run run = run(null, "serve", "--port", "0", "--db", "jdbc:sqlite:" + db);
    assertOneLineNamingThePlatform(run);
    assertThat(run.out()).doesNotContain("listening");
  }

  @Test
  void usersCreateWhenLibargon2CannotLoadThenStopsBeforeOpeningTheDatabaseWithTheSameLine() throws Exception {
    Path db = dir.resolve("users.db");
    Run run = run("operator-chosen-password\n", "users", "create", "--email", "a@b.test", "--name", "A",
        "--password-stdin", "--db", "jdbc:sqlite:" + db);
    assertOneLineNamingThePlatform(run);
    assertThat(db).as("nothing opened before the check").doesNotExist();
  }
}
