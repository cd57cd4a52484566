package io.shaver.spark;

/** Formats durations for progress logs. */
final class Durations {

  private Durations() {
  }

  /** Returns {@code 1h 02m}, {@code 3m 05s} or {@code 12.3s}; {@code unknown} if not finite. */
  static String format(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "unknown";
    }
    long whole = Math.round(seconds);
    if (whole >= 3600) {
      return String.format("%dh %02dm", whole / 3600, (whole % 3600) / 60);
    }
    if (whole >= 60) {
      return String.format("%dm %02ds", whole / 60, whole % 60);
    }
    return String.format("%.1fs", seconds);
  }
}
