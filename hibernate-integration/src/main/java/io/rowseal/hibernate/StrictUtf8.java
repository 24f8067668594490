package io.rowseal.hibernate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * UTF-8 that refuses what it cannot represent. {@code String.getBytes(UTF_8)} silently turns an unpaired
 * surrogate into {@code '?'}, which would store a value other than the one the application holds.
 */
final class StrictUtf8 {
  private StrictUtf8() {}

  static byte[] encode(CharBuffer chars) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(chars);
      byte[] out = Arrays.copyOfRange(b.array(), b.position(), b.limit());
      Arrays.fill(b.array(), (byte) 0);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("text contains an unpaired surrogate and has no UTF-8 form");
    }
  }

  static String decode(ByteBuffer bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("text is not valid UTF-8");
    }
  }
}
