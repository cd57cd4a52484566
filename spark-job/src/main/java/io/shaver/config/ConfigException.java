package io.shaver.config;

/**
 * Invalid job configuration: an unknown key, a wrong type or an out-of-range value.
 *
 * <p>The message names the config key, the value and the rule, so that the CLI can print it
 * as is. Raised before any Spark work starts.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
