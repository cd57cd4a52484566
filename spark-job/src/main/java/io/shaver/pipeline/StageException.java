package io.shaver.pipeline;

/** A stage of a pipeline run failed; carries the stage name. */
public final class StageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String stage;

  public StageException(String stage, Throwable cause) {
    super("stage '" + stage + "' failed: " + cause.getMessage(), cause);
    this.stage = stage;
  }

  public String stage() {
    return stage;
  }
}
