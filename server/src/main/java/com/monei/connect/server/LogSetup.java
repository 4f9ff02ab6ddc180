package com.monei.connect.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging set up in code (found through ServiceLoader) rather than from logback.xml: parsing the
 * XML loaded an XML parser and Joran, a tenth of the start-up. Logs go to stderr so stdout stays
 * clean for the operator commands; a buffer flushed every 100 ms keeps the per-request line
 * cheap and discards nothing. {@code -Dlogback.configurationFile=…} still takes over.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level %logger{0} - %msg%n");
    encoder.start();

    BufferedStderrAppender stderr = new BufferedStderrAppender();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setEncoder(encoder);
    stderr.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr);
    for (String quiet : new String[] {"com.zaxxer.hikari", "org.flywaydb", "org.eclipse.jetty", "io.javalin"}) {
      context.getLogger(quiet).setLevel(Level.WARN);
    }

    // Flushes the buffer when the JVM exits, so the last lines of a command are kept.
    DefaultShutdownHook hook = new DefaultShutdownHook();
    hook.setContext(context);
    Thread drain = new Thread(hook, "logback-shutdown");
    context.putObject(CoreConstants.SHUTDOWN_HOOK_THREAD, drain);
    Runtime.getRuntime().addShutdownHook(drain);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
