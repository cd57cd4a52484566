package io.shaver.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Collects the INFO and higher lines of one logger and its children while open, for tests
 * that assert what a command logged in this JVM: as {@code "SimpleClassName: message"} lines
 * from {@link #of}, or {@code "LEVEL message"} lines from {@link #withLevels}. The logger must have its own configuration, as {@code io.shaver} has in
 * log4j2-test.properties, because the appender is attached to that configuration.
 */
public final class LogCapture implements AutoCloseable {

  private final StringWriter text = new StringWriter();
  private final LoggerContext context;
  private final String logger;
  private final WriterAppender appender;

  private LogCapture(String logger, String pattern) {
    this.context = (LoggerContext) LogManager.getContext(false);
    this.logger = logger;
    this.appender = WriterAppender.newBuilder()
        .setName("capture-" + logger + "-" + System.identityHashCode(this))
        .setTarget(text)
        .setLayout(PatternLayout.newBuilder().withPattern(pattern).build())
        .build();
    appender.start();
    Configuration configuration = context.getConfiguration();
    configuration.addAppender(appender);
    configuration.getLoggerConfig(logger).addAppender(appender, Level.INFO, null);
    context.updateLoggers();
  }

  /**
   * Starts collecting the lines of {@code logger}.
   *
   * @throws IllegalArgumentException if {@code logger} has no configuration of its own
   */
  public static LogCapture of(String logger) {
    return open(logger, "%c{1}: %m%n");
  }

  /**
   * Starts collecting the lines of {@code logger}, each as its level and message.
   *
   * @throws IllegalArgumentException if {@code logger} has no configuration of its own
   */
  public static LogCapture withLevels(String logger) {
    return open(logger, "%level %m%n");
  }

  private static LogCapture open(String logger, String pattern) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    if (!context.getConfiguration().getLoggers().containsKey(logger)) {
      throw new IllegalArgumentException("Logger '" + logger + "' has no configuration of its"
          + " own; add one to log4j2-test.properties");
    }
    return new LogCapture(logger, pattern);
  }

  /** Returns the lines collected so far. */
  public String text() {
    return text.toString();
  }

  @Override
  public void close() {
    context.getConfiguration().getLoggerConfig(logger).removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
