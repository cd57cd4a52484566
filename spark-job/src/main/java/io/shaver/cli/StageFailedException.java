package io.shaver.cli;

/** A stage failure, carrying the name of the stage for the last log line. */
public final class StageFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String stage;

  public StageFailedException(String stage, Throwable cause) {
    super(cause.getMessage(), cause);
    this.stage = stage;
  }

  public String stage() {
    return stage;
  }
}
