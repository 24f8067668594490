package io.rowseal.envelope;

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
 * A bound row (version 2, signed by version 3 footers) has two more fields after the entity name:
 * {@code [len]_32 ‖ UTF-8(table)} and {@code [len]_32 ‖ UTF-8(tenant id)} or {@code 0xFFFFFFFF} without one.
 *
 * Encrypted items carry the value's stored bytes (binary form), signed items the value's plaintext
 * encoding. Names must be unique within a row. Not thread-safe; build one per row.
 */
public final class RowCanonical {
  static final byte ENCRYPTED = 'E';
  static final byte SIGNED = 'S';
  private static final int NULL = 0xFFFFFFFF;

  private final byte[] entity;
  private final byte[] table;
  private final byte[] tenant;
  private final byte[] id;
  private final List<Item> items = new ArrayList<>();

  private RowCanonical(String entityName, String table, String tenant, byte[] id) {
    if (entityName == null || entityName.isEmpty()) {
      throw new IllegalArgumentException("entity name must not be empty");
    }
    if (id == null) {
      throw new IllegalArgumentException("the row of " + entityName + " has no id to sign");
    }
    if (table != null && table.isEmpty()) {
      throw new IllegalArgumentException("table name must not be empty");
    }
    this.entity = entityName.getBytes(StandardCharsets.UTF_8);
    this.table = table == null ? null : table.getBytes(StandardCharsets.UTF_8);
    this.tenant = tenant == null ? null : tenant.getBytes(StandardCharsets.UTF_8);
    this.id = id.clone();
  }

  /** A row of {@code entityName} whose primary key encodes as {@code id} (version 1, unbound). */
  public static RowCanonical of(String entityName, byte[] id) {
    return new RowCanonical(entityName, null, null, id);
  }

  /**
   * A row of {@code entityName} in {@code table}, written for {@code tenant} ({@code null} without
   * multi-tenancy), whose primary key encodes as {@code id}: version 2, bound to its table and tenant.
   */
  public static RowCanonical of(String entityName, String table, String tenant, byte[] id) {
    return new RowCanonical(entityName, java.util.Objects.requireNonNull(table, "table"), tenant, id);
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
    Item[] sorted = items.toArray(new Item[0]);
    Arrays.sort(sorted, BY_NAME);
    int length = 4 + entity.length + 4 + id.length + 4
        + (table == null ? 0 : 4 + table.length + 4 + (tenant == null ? 0 : tenant.length));
    for (int i = 0; i < sorted.length; i++) {
      Item item = sorted[i];
      if (i > 0 && Arrays.equals(sorted[i - 1].name(), item.name())) {
        throw new IllegalArgumentException("two attributes of " + new String(entity, StandardCharsets.UTF_8)
            + " share the logical name '" + new String(item.name(), StandardCharsets.UTF_8) + "'");
      }
      length += 4 + item.name().length + 1 + 4 + (item.bytes() == null ? 0 : item.bytes().length);
    }
    // One exact-size array: a ByteArrayOutputStream's synchronized writes cost more than the MAC.
    byte[] out = new byte[length];
    int o = field(out, 0, entity);
    if (table != null) {
      o = field(out, o, table);
      o = tenant == null ? int32(out, o, NULL) : field(out, o, tenant);
    }
    o = field(out, o, id);
    o = int32(out, o, sorted.length);
    for (Item item : sorted) {
      o = field(out, o, item.name());
      out[o++] = item.kind();
      o = item.bytes() == null ? int32(out, o, NULL) : field(out, o, item.bytes());
    }
    return out;
  }

  private static final Comparator<Item> BY_NAME = (x, y) -> Arrays.compareUnsigned(x.name(), y.name());

  private static int field(byte[] out, int o, byte[] bytes) {
    o = int32(out, o, bytes.length);
    System.arraycopy(bytes, 0, out, o, bytes.length);
    return o + bytes.length;
  }

  private static int int32(byte[] out, int o, int v) {
    out[o] = (byte) (v >>> 24);
    out[o + 1] = (byte) (v >>> 16);
    out[o + 2] = (byte) (v >>> 8);
    out[o + 3] = (byte) v;
    return o + 4;
  }

  @Override
  public String toString() {
    return "RowCanonical(" + new String(entity, StandardCharsets.UTF_8) + ", " + items.size() + " items)";
  }

  private record Item(byte[] name, byte kind, byte[] bytes) {}
}
