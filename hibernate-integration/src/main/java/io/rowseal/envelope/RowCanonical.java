package io.rowseal.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The canonical encoding of a row that its footer's MAC covers, version 1 (specified in
 * {@code docs/FORMAT.md}). Every field is length-prefixed, so no two different rows encode alike:
 *
 * <pre>
 * [len]_32 ‖ UTF-8(entity name)
 * [len]_32 ‖ id bytes
 * [count]_32
 * per item, in the order of UTF-8(name), unsigned byte by byte:
 *   [len]_32 ‖ UTF-8(name) ‖ kind (0x45 'E' encrypted: stored bytes; 0x53 'S' signed: plaintext encoding)
 *   ‖ [len]_32 ‖ bytes         or   0xFFFFFFFF for NULL
 * </pre>
 *
 * Encrypted items carry the value's stored bytes (binary form), signed items the value's plaintext
 * encoding. Names must be unique within a row. Not thread-safe; build one per row.
 */
public final class RowCanonical {
  static final byte ENCRYPTED = 'E';
  static final byte SIGNED = 'S';
  private static final int NULL = 0xFFFFFFFF;

  private final byte[] entity;
  private final byte[] id;
  private final List<Item> items = new ArrayList<>();

  private RowCanonical(String entityName, byte[] id) {
    if (entityName == null || entityName.isEmpty()) {
      throw new IllegalArgumentException("entity name must not be empty");
    }
    if (id == null) {
      throw new IllegalArgumentException("the row of " + entityName + " has no id to sign");
    }
    this.entity = entityName.getBytes(StandardCharsets.UTF_8);
    this.id = id.clone();
  }

  /** A row of {@code entityName} whose primary key encodes as {@code id}. */
  public static RowCanonical of(String entityName, byte[] id) {
    return new RowCanonical(entityName, id);
  }

  /** Adds an encrypted attribute: its logical name and stored bytes ({@code null} for SQL NULL). */
  public RowCanonical encrypted(String name, byte[] stored) {
    return add(name, ENCRYPTED, stored);
  }

  /** Adds a signed plaintext attribute: its logical name and value encoding ({@code null} for NULL). */
  public RowCanonical signed(String name, byte[] value) {
    return add(name, SIGNED, value);
  }

  private RowCanonical add(String name, byte kind, byte[] bytes) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("attribute name must not be empty");
    }
    items.add(new Item(name.getBytes(StandardCharsets.UTF_8), kind, bytes == null ? null : bytes.clone()));
    return this;
  }

  /** The encoding; fails if two items share a name. */
  public byte[] toBytes() {
    List<Item> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(Item::name, Arrays::compareUnsigned));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    field(out, entity);
    field(out, id);
    int32(out, sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      Item item = sorted.get(i);
      if (i > 0 && Arrays.equals(sorted.get(i - 1).name(), item.name())) {
        throw new IllegalArgumentException("two attributes of " + new String(entity, StandardCharsets.UTF_8)
            + " share the logical name '" + new String(item.name(), StandardCharsets.UTF_8) + "'");
      }
      field(out, item.name());
      out.write(item.kind());
      if (item.bytes() == null) {
        int32(out, NULL);
      } else {
        field(out, item.bytes());
      }
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, byte[] bytes) {
    int32(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static void int32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  @Override
  public String toString() {
    return "RowCanonical(" + new String(entity, StandardCharsets.UTF_8) + ", " + items.size() + " items)";
  }

  private record Item(byte[] name, byte kind, byte[] bytes) {}
}
