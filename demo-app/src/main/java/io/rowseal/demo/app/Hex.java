package io.rowseal.demo.app;

import java.util.HexFormat;

/** Shortened hex of stored bytes, for a terminal: head and tail bytes around an ellipsis. */
final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  static String shorten(byte[] bytes, int head, int tail) {
    if (bytes.length <= head + tail) {
      return HEX.formatHex(bytes);
    }
    return HEX.formatHex(bytes, 0, head) + ".." + HEX.formatHex(bytes, bytes.length - tail, bytes.length);
  }

  /** A stored column value: shortened hex and its length. */
  static String value(byte[] bytes) {
    return bytes == null ? "NULL" : shorten(bytes, 3, 4) + " (" + bytes.length + " B)";
  }
}
