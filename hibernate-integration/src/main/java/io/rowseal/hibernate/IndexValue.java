package io.rowseal.hibernate;

/**
 * The value of a blind-index attribute: what the entity holds ({@link Source}, the searchable attribute's
 * current value, hashed when the row is written) or what the row holds ({@link Stored}, a tag as read).
 * Never cached or logged with its content: a source is plaintext.
 */
sealed interface IndexValue permits IndexValue.Source, IndexValue.Stored {

  /** The searchable attribute's value in the entity. */
  record Source(Object value) implements IndexValue {
    @Override
    public String toString() {
      return "(blind-index source)";
    }
  }

  /** A tag as stored in the row ({@link #CACHED} stands for one read from the second-level cache). */
  record Stored(byte[] bytes) implements IndexValue {
    static final Stored CACHED = new Stored(new byte[0]);

    @Override
    public String toString() {
      return "(blind index)";
    }
  }
}
