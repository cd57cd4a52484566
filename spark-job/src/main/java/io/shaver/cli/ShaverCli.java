package io.shaver.cli;

public final class ShaverCli {
  public static void main(String[] args) {
  }
}
