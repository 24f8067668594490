package io.rowseal.hibernate;

import io.rowseal.IntegrityException;
import io.rowseal.envelope.BlindIndexKeys;
import io.rowseal.envelope.DekId;
import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.BranchKeyRef;

/**
 * Decides from a row's stored bytes alone (no key, no decryption) whether a {@link RowMigration} must
 * rewrite it. Not thread-safe (one per run).
 */
final class RowNeeds {
  /** Why a row is rewritten, or {@link #CURRENT} if it is not. */
  enum Need {
    /** A non-null value that is not a rowseal value: plaintext the application held before rowseal. */
    LEGACY,
    /** A value or footer with a rowseal header that does not parse: loading it will say what is wrong. */
    DAMAGED,
    /** A signed entity's row without a footer. */
    UNSIGNED,
    /** A value or the footer under a branch-key version the run moves rows off. */
    OLD_KEY,
    /** A footer written before footers bound the row's table and tenant (version 2 or 1). */
    UNBOUND,
    /**
     * A searchable value without its blind index (the attribute became searchable after the row was
     * written) or with a tag under another index-key version than the active one.
     */
    INDEX,
    CURRENT
  }

  private final MigrationTable table;
  private final Envelope envelope;
  private final Rekey rekey;
  private final boolean reindexAll;

  /** {@code reindexAll}: every row with a searchable value needs {@link Need#INDEX}. */
  RowNeeds(MigrationTable table, Envelope envelope, Rekey rekey, boolean reindexAll) {
    this.table = table;
    this.envelope = envelope;
    this.rekey = rekey;
    this.reindexAll = reindexAll;
  }

  /**
   * The active index-key version of the job's branch key {@code active}, or 0 if the table has no
   * blind index (then no index key is made).
   */
  int indexVersion(BranchKeyRef active) {
    if (table.indexed.isEmpty()) {
      return 0;
    }
    return envelope.blindIndexKeys().active(BlindIndexKeys.indexKeyId(active.keyId())).version();
  }

  /**
   * What {@code row} needs, {@code active} being the active branch-key version and {@code indexVersion}
   * the active index-key version ({@link #indexVersion}).
   */
  Need of(MigrationTable.Raw row, BranchKeyRef active, int indexVersion) {
    boolean damaged = false;
    boolean old = false;
    // Per encrypted column: whether it holds a rowseal value under the job's branch-key id, whose index the
    // job can vouch for (a tenant's rows are indexed under the tenant's index key and left alone).
    boolean[] ours = new boolean[row.values().length];
    for (int i = 0; i < row.values().length; i++) {
      Object v = row.values()[i];
      if (v == null) {
        continue;
      }
      byte[] bytes;
      if (v instanceof String text) {
        if (!Envelope.isText(text)) {
          return Need.LEGACY;
        }
        try {
          bytes = Envelope.fromText(text);
        } catch (IntegrityException e) {
          damaged = true;
          continue;
        }
      } else {
        bytes = (byte[]) v;
      }
      if (!Envelope.isValue(bytes)) {
        if (table.sealed.get(i).form() == StorageForm.BINARY) {
          return Need.LEGACY;
        }
        damaged = true;
        continue;
      }
      old = old || old(bytes, active);
      ours[i] = keyId(bytes).equals(active.keyId());
    }
    if (damaged) {
      return Need.DAMAGED;
    }
    if (table.footerColumn != null) {
      if (row.footer() == null) {
        return Need.UNSIGNED;
      }
      try {
        old = old || rekey.old(DekId.ofFooter(row.footer()).ref(), active, envelope);
      } catch (IntegrityException e) {
        return Need.DAMAGED;
      }
      if (!old && !Envelope.footerBindsTable(row.footer())) {
        return Need.UNBOUND;
      }
    }
    if (old) {
      return Need.OLD_KEY;
    }
    for (int j = 0; j < table.indexed.size(); j++) {
      MigrationTable.Indexed x = table.indexed.get(j);
      if (!ours[x.sealed()]) {
        continue;
      }
      if (reindexAll) {
        return Need.INDEX;
      }
      byte[] tag = row.tags()[j];
      // A prefix tag is null for a value shorter than its prefix, which only decryption tells: a missing
      // index shows in the equality column, written for every value.
      if (tag == null ? x.purpose() == 0 : tag.length == 0 || BlindIndexKeys.versionOf(tag) != indexVersion) {
        return Need.INDEX;
      }
    }
    return Need.CURRENT;
  }

  private static String keyId(byte[] value) {
    try {
      return DekId.ofValue(value).ref().keyId();
    } catch (IntegrityException e) {
      return ""; // isValue said it parses; never reached
    }
  }

  private boolean old(byte[] value, BranchKeyRef active) {
    try {
      return rekey.old(DekId.ofValue(value).ref(), active, envelope);
    } catch (IntegrityException e) {
      return true; // isValue said it parses; never reached
    }
  }
}
