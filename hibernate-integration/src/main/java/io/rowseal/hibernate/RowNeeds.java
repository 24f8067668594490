package io.rowseal.hibernate;

import io.rowseal.IntegrityException;
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
    CURRENT
  }

  private final MigrationTable table;
  private final Envelope envelope;
  private final Rekey rekey;

  RowNeeds(MigrationTable table, Envelope envelope, Rekey rekey) {
    this.table = table;
    this.envelope = envelope;
    this.rekey = rekey;
  }

  Need of(MigrationTable.Raw row, BranchKeyRef active) {
    boolean damaged = false;
    boolean old = false;
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
    return old ? Need.OLD_KEY : Need.CURRENT;
  }

  private boolean old(byte[] value, BranchKeyRef active) {
    try {
      return rekey.old(DekId.ofValue(value).ref(), active, envelope);
    } catch (IntegrityException e) {
      return true; // isValue said it parses; never reached
    }
  }
}
