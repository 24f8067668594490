package io.rowseal.agent.it;

import java.nio.charset.StandardCharsets;

/** Searching raw database files and column bytes for plaintext. */
final class Bytes {
  private Bytes() {}

  /** Where {@code needle}'s UTF-8 bytes start in {@code haystack}, or -1. */
  static int indexOf(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
