package io.rowseal.crypto;

import java.io.FileInputStream;
import java.io.IOException;

/**
 * The operating system's entropy, read unbuffered from {@code /dev/urandom}: one {@code read} system
 * call per draw, nothing kept between draws (a buffered reader, such as the JDK's {@code NativePRNG}
 * with its 32-byte buffer, would hand a restored copy the original's bytes). Concurrent reads are safe:
 * the kernel serves each its own bytes. Absent (not a Unix, a sandbox without the device): every read
 * answers {@code false} and the caller falls back.
 */
final class OsEntropy {
  static final int MAX_DRAW = 64;
  static final OsEntropy INSTANCE = new OsEntropy("/dev/urandom");

  private final FileInputStream in;

  OsEntropy(String device) {
    FileInputStream opened;
    try {
      opened = new FileInputStream(device);
      byte[] probe = new byte[16];
      if (opened.read(probe) != probe.length) {
        opened.close();
        opened = null;
      }
    } catch (IOException | SecurityException e) {
      opened = null;
    }
    this.in = opened;
  }

  boolean available() {
    return in != null;
  }

  /** Fills {@code out} with bytes read now; {@code false} (and {@code out} unspecified) if it cannot. */
  boolean read(byte[] out) {
    if (in == null) {
      return false;
    }
    try {
      int n = 0;
      while (n < out.length) {
        int r = in.read(out, n, out.length - n);
        if (r <= 0) {
          return false;
        }
        n += r;
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
