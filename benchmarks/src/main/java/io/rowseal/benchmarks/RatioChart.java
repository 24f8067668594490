package io.rowseal.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * A hand-built SVG bar chart of cost ratios on a log scale (1× to 10,000×), two bars per contender
 * (encrypt-row, decrypt-row), with dashed lines at the targets.
 */
final class RatioChart {
  /** One contender's ratios to the floor; NaN leaves a bar out. */
  record Bar(String label, double encrypt, double decrypt) {}

  private static final int LEFT = 330;
  private static final int WIDTH = 900;
  private static final int ROW = 44;
  private static final int TOP = 50;
  private static final double MAX_DECADES = 4;

  private RatioChart() {}

  static String svg(String title, List<Bar> bars) {
    int height = TOP + bars.size() * ROW + 60;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " font-family=\"sans-serif\" font-size=\"13\">%n", WIDTH, height));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
    s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
        escape(title)));
    double plotWidth = WIDTH - LEFT - 40;
    for (int d = 0; d <= MAX_DECADES; d++) {
      double x = LEFT + plotWidth * d / MAX_DECADES;
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ccc\"/>%n",
          x, TOP - 10, x, TOP + bars.size() * ROW));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s×</text>%n",
          x, TOP + bars.size() * ROW + 18, (long) Math.pow(10, d)));
    }
    for (double target : new double[] {1.3, 2}) {
      double x = LEFT + plotWidth * Math.log10(target) / MAX_DECADES;
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c00\""
          + " stroke-dasharray=\"4 3\"/>%n", x, TOP - 10, x, TOP + bars.size() * ROW));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#c00\" font-size=\"11\""
          + " text-anchor=\"middle\">%s×</text>%n", x, TOP - 14, trim(target)));
    }
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = TOP + i * ROW;
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
          LEFT - 8, y + 24, escape(b.label())));
      bar(s, y + 4, b.encrypt(), "#3b6ea8", plotWidth);
      bar(s, y + 22, b.decrypt(), "#e39b2d", plotWidth);
    }
    int ly = TOP + bars.size() * ROW + 40;
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#3b6ea8\"/>"
        + "<text x=\"%d\" y=\"%d\">encrypt-row</text>%n", LEFT, ly - 10, LEFT + 18, ly));
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#e39b2d\"/>"
        + "<text x=\"%d\" y=\"%d\">decrypt-row</text>%n", LEFT + 130, ly - 10, LEFT + 148, ly));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#c00\">dashed: targets 1.3× and 2×</text>%n",
        LEFT + 260, ly));
    return s.append("</svg>\n").toString();
  }

  private static void bar(StringBuilder s, int y, double ratio, String color, double plotWidth) {
    if (Double.isNaN(ratio)) {
      return;
    }
    double w = Math.max(1, plotWidth * Math.max(0, Math.log10(ratio)) / MAX_DECADES);
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>%n",
        LEFT, y, w, color));
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s×</text>%n",
        LEFT + w + 4, y + 12, ratio < 10 ? String.format(Locale.ROOT, "%.2f", ratio)
            : String.format(Locale.ROOT, "%.0f", ratio)));
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
