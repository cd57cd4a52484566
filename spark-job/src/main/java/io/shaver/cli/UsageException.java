package io.shaver.cli;

/** An invalid command line that picocli cannot detect on its own; exits with code 2. */
final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
