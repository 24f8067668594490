package io.rowseal.kms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Non-secret key–value pairs bound to a wrap as authenticated data, as in AWS KMS: an unwrap succeeds
 * only with exactly the context the wrap used. Immutable.
 */
public final class EncryptionContext {
  private static final EncryptionContext EMPTY = new EncryptionContext(new TreeMap<>());
  private final Map<String, String> entries;

  private EncryptionContext(TreeMap<String, String> entries) {
    this.entries = Collections.unmodifiableMap(entries);
  }

  public static EncryptionContext empty() {
    return EMPTY;
  }

  public static EncryptionContext of(Map<String, String> entries) {
    TreeMap<String, String> copy = new TreeMap<>();
    entries.forEach((k, v) -> {
      if (k == null || k.isEmpty() || v == null) {
        throw new IllegalArgumentException("encryption context keys must be non-empty and values non-null");
      }
      copy.put(k, v);
    });
    return new EncryptionContext(copy);
  }

  public static EncryptionContext of(String k1, String v1, String k2, String v2) {
    return of(Map.of(k1, v1, k2, v2));
  }

  public Map<String, String> asMap() {
    return entries;
  }

  /** Canonical bytes: entries sorted by key, each as two length-prefixed UTF-8 strings. */
  public byte[] toAad() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeInt(out, entries.size());
    entries.forEach((k, v) -> {
      writeString(out, k);
      writeString(out, v);
    });
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeInt(out, b.length);
    out.writeBytes(b);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptionContext other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "EncryptionContext" + entries;
  }
}
