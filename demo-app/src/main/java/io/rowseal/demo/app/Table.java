package io.rowseal.demo.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A text table with aligned columns; cells longer than their column's limit are cut with "...". */
final class Table {
  private final String[] headers;
  private final int[] limits;
  private final List<String[]> rows = new ArrayList<>();

  private Table(String[] headers, int[] limits) {
    this.headers = headers;
    this.limits = limits;
  }

  /** Columns as {@code "header:limit"} or just {@code "header"} (no limit). */
  static Table of(String... columns) {
    String[] headers = new String[columns.length];
    int[] limits = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      int colon = columns[i].lastIndexOf(':');
      boolean limited = colon > 0 && columns[i].substring(colon + 1).chars().allMatch(Character::isDigit);
      headers[i] = limited ? columns[i].substring(0, colon) : columns[i];
      limits[i] = limited ? Integer.parseInt(columns[i].substring(colon + 1)) : Integer.MAX_VALUE;
    }
    return new Table(headers, limits);
  }

  Table row(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length
          + " columns " + Arrays.toString(headers));
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cut(cells[i] == null ? "NULL" : cells[i].toString(), limits[i]);
    }
    rows.add(row);
    return this;
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    line(out, headers, widths);
    String[] rule = new String[headers.length];
    for (int i = 0; i < rule.length; i++) {
      rule[i] = "-".repeat(widths[i]);
    }
    line(out, rule, widths);
    rows.forEach(r -> line(out, r, widths));
  }

  private static void line(PrintStream out, String[] cells, int[] widths) {
    StringBuilder s = new StringBuilder("   ");
    for (int i = 0; i < cells.length; i++) {
      s.append(cells[i]);
      if (i < cells.length - 1) {
        s.append(" ".repeat(widths[i] - cells[i].length() + 2));
      }
    }
    out.println(s);
  }

  private static String cut(String s, int limit) {
    return s.length() <= limit ? s : s.substring(0, Math.max(0, limit - 3)) + "...";
  }
}
