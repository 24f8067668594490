package io.rowseal.envelope;

import io.rowseal.crypto.RandomSource;
import java.util.ArrayList;
import java.util.List;

/** A secure {@link RandomSource} that remembers every draw of a given length (e.g. 32 = keys). */
final class RecordingRandom implements RandomSource {
  private final int length;
  final List<byte[]> draws = new ArrayList<>();

  RecordingRandom(int length) {
    this.length = length;
  }

  @Override
  public void nextBytes(byte[] out) {
    RandomSource.secure().nextBytes(out);
    if (out.length == length) {
      synchronized (draws) {
        draws.add(out.clone());
      }
    }
  }
}
