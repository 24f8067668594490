package io.rowseal.hibernate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * UTF-8 that refuses what it cannot represent. {@code String.getBytes(UTF_8)} silently turns an unpaired
 * surrogate into {@code '?'}, and {@code new String(bytes, UTF_8)} malformed input into U+FFFD, which
 * would store or return a value other than the one written.
 *
 * <p>Both directions take the JDK's lenient (intrinsic, allocation-light) conversion when it cannot have
 * replaced anything — text without surrogates, bytes that decode without U+FFFD — and the reporting
 * coders otherwise; each text value is converted on every row write and entity load, where the reporting
 * coders cost more than the encryption of a short value.
 */
final class StrictUtf8 {
  private StrictUtf8() {}

  static byte[] encode(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return encode(CharBuffer.wrap(text)); // pairs are fine, unpaired ones must fail
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code tag ‖ UTF-8(text)} in one array: ASCII text (the common case) is copied straight behind the tag,
   * other text goes through {@link #encode(String)}.
   */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) keeps the low byte of each char: exact for ASCII
  static byte[] encodeTagged(byte tag, String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      if (text.charAt(i) >= 0x80) {
        byte[] body = encode(text);
        byte[] out = new byte[1 + body.length];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
      }
    }
    byte[] out = new byte[1 + n];
    out[0] = tag;
    text.getBytes(0, n, out, 1);
    return out;
  }

  /**
   * Whether {@code encoded} is {@code tag ‖ UTF-8(text)}: {@code TRUE} or {@code FALSE} when that is known
   * without encoding (ASCII text, or a difference before the first non-ASCII character), {@code null}
   * otherwise.
   */
  static Boolean isTagged(byte tag, String text, byte[] encoded) {
    if (encoded.length == 0 || encoded[0] != tag) {
      return Boolean.FALSE;
    }
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return null; // UTF-8 of ASCII is one byte per char, so everything before here matched
      }
      if (i + 1 >= encoded.length || encoded[i + 1] != c) {
        return Boolean.FALSE;
      }
    }
    return encoded.length == n + 1;
  }

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

  /** Decodes the remaining bytes of {@code bytes} and consumes them. */
  static String decode(ByteBuffer bytes) {
    if (bytes.hasArray()) {
      String text = new String(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(),
          StandardCharsets.UTF_8);
      if (text.indexOf('\uFFFD') < 0) {
        bytes.position(bytes.limit());
        return text;
      }
      // Malformed input, or a genuine U+FFFD: only the reporting decoder can tell.
    }
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
