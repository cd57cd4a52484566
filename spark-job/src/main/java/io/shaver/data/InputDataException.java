package io.shaver.data;

/**
 * Input data that the prepare stage cannot use: a missing or empty input, a truncated file,
 * too many malformed rows, an encoded id out of range.
 *
 * <p>The message names the file (and the line or row at fault) and tells what to fix.
 * Serializable, so that a Spark task can raise it and the driver can find it among the causes
 * of the job failure ({@link #findIn(Throwable)}).
 */
public final class InputDataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InputDataException(String message) {
    super(message);
  }

  public InputDataException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Returns the first {@link InputDataException} in the cause chain of {@code error}, or null. */
  public static InputDataException findIn(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof InputDataException found) {
        return found;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
