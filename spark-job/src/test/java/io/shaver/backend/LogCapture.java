package io.shaver.backend;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Collects what log4j2 logs while it is open, as {@code LEVEL message} lines. */
final class LogCapture implements AutoCloseable {

  private final StringWriter text = new StringWriter();
  private final WriterAppender appender;
  private final LoggerContext context;

  LogCapture() {
    context = (LoggerContext) LogManager.getContext(false);
    appender = WriterAppender.newBuilder().setName("capture-" + System.nanoTime())
        .setTarget(text)
        .setLayout(PatternLayout.newBuilder().withPattern("%level %msg%n").build())
        .build();
    appender.start();
    Configuration configuration = context.getConfiguration();
    configuration.addAppender(appender);
    configuration.getRootLogger().addAppender(appender, Level.ALL, null);
    context.updateLoggers();
  }

  /** Returns the lines logged so far. */
  String text() {
    return text.toString();
  }

  @Override
  public void close() {
    Configuration configuration = context.getConfiguration();
    configuration.getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
