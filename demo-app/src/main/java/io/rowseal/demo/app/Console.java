package io.rowseal.demo.app;

import java.io.PrintStream;

/** The demo's output: numbered step headings and indented lines, plain ASCII for any terminal. */
final class Console {
  private final PrintStream out;
  private static final int WIDTH = 100;
  private int steps;

  Console(PrintStream out) {
    this.out = out;
  }

  PrintStream out() {
    return out;
  }

  void title(String text) {
    out.println(text);
    out.println("=".repeat(text.length()));
  }

  /** A numbered step heading; steps are numbered in the order they run. */
  void step(String text) {
    out.println();
    out.println(++steps + ". " + text);
  }

  void line(String text) {
    out.println("   " + text);
  }

  void line(String format, Object... args) {
    line(String.format(format, args));
  }

  /** {@code text} wrapped to the terminal's usual width, each line indented by {@code indent} spaces. */
  void wrapped(int indent, String text) {
    int width = WIDTH - indent;
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.println(" ".repeat(indent) + line);
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      out.println(" ".repeat(indent) + line);
    }
  }

  void blank() {
    out.println();
  }

  void table(Table table) {
    table.print(out);
  }
}
