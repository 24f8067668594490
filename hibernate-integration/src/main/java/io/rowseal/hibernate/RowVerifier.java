package io.rowseal.hibernate;

import io.rowseal.IntegrityException;
import io.rowseal.KeyDestroyedException;
import io.rowseal.envelope.Envelope;
import io.rowseal.envelope.RowCanonical;
import java.util.Map;
import org.hibernate.event.spi.PreLoadEvent;
import org.hibernate.event.spi.PreLoadEventListener;

/**
 * Verifies the footer of every signed entity that a load read from the database, as soon as Hibernate
 * has extracted its row's state: the canonical row is rebuilt from the entity name, the id, the stored
 * bytes of the footer's row write as read ({@link LoadedRows}) — provided the state holds exactly their
 * plaintext — and the {@code @Signed} values of the state, and the footer's MAC must match
 * ({@code RS-4204} otherwise, naming entity and id). A row without a footer fails with {@code RS-4205}
 * unless unsigned rows are allowed. State that came from the second-level or query cache is not checked
 * again. Hibernate fires no load events in a {@code StatelessSession}, so its reads are not verified.
 *
 * <p>Why pre-load rather than post-load: Hibernate fires the pre-load event per row, right after it
 * extracted the row and before the entity is populated, managed or put into the second-level cache,
 * but the post-load events of a query only after its last row. Verifying per row keeps what
 * {@link LoadedRows} holds to the row at hand (instead of every row of the result), verifies while
 * the row's DEK is still in the envelope's cache (a 10,000-row query otherwise unwrapped most DEKs a
 * second time), and never lets an unverified row reach the second-level cache. Thread-safe.
 */
final class RowVerifier implements PreLoadEventListener {
  /** Stands in for a non-null value whose stored bytes carry another row write: never verifies. */
  private static final byte[] FOREIGN = new byte[0];

  private final RowSignatures signatures;

  RowVerifier(RowSignatures signatures) {
    this.signatures = signatures;
  }

  @Override
  public void onPreLoad(PreLoadEvent event) {
    SignedEntity entity = signatures.entity(event.getPersister());
    if (entity == null) {
      return;
    }
    var session = event.getSession();
    Object[] state = event.getState();
    if (state == null || state[entity.footerIndex] == StoredFooter.CACHED) {
      return; // assembled from the second-level cache: verified when it was read, or written here
    }
    Object id = event.getId();
    if (!(state[entity.footerIndex] instanceof StoredFooter footer) || !footer.isRead()) {
      throw failed(new EncryptedReadException("RS-4204", entity.name, String.valueOf(id), "the loaded state holds no row "
          + "signature read from the database (" + state[entity.footerIndex] + "), so the row cannot be verified", null));
    }
    if (footer.bytes() == null) {
      if (signatures.required() && !signatures.loaded().unsignedAllowed(session)
          && !onlyLegacy(entity, state, session)) {
        throw failed(new EncryptedReadException("RS-4205", entity.name, String.valueOf(id), "the row has no row "
            + "signature (written before rowseal signed rows, or its signature was removed) and "
            + RowsealSettings.ROW_SIGNATURE_REQUIRE + "=true. Sign the existing rows once with "
            + "RowSignatureBackfill.run(sessionFactory, " + entity.persister.getMappedClass().getSimpleName()
            + ".class) (docs/HIBERNATE.md, section 13), or set " + RowsealSettings.ROW_SIGNATURE_REQUIRE
            + "=false while they are unsigned", null));
      }
      return;
    }
    Map<String, LoadedRows.Value> read = signatures.loaded().claim(session, footer);
    if (read == null && footer.dekId() != null) {
      throw failed(new EncryptedReadException("RS-4204", entity.name, String.valueOf(id), "its row signature was read "
          + "without the encrypted values of its row write, so it cannot be verified (a value or the signature "
          + "copied from another row)", null));
    }
    Map<String, LoadedRows.Value> values = read == null ? Map.of() : read;
    try (RowCanonical.Scratch canonical = entity.canonicalReused(id, state,
        (item, value) -> signedBytes(item, value, values), Envelope.footerBindsTable(footer.bytes()),
        TenantKeys.tenantOf(session))) {
      signatures.envelope().verifyRow(footer.bytes(), canonical.bytes(), canonical.length());
    } catch (KeyDestroyedException e) {
      throw new EncryptedReadException("RS-4202", entity.name, String.valueOf(id),
          "the key of its row signature was destroyed: " + e.getMessage(), e);
    } catch (IntegrityException e) {
      throw failed(new EncryptedReadException("RS-4204", entity.name, String.valueOf(id), "its row signature does "
          + "not verify: a value moved in from another row, an old value replayed, a @Signed column "
          + "edited, or a signature copied from another row (" + e.getMessage() + ")", e));
    }
  }

  private EncryptedReadException failed(EncryptedReadException e) {
    return signatures.rowWrites().readFailures().seen(e);
  }

  /**
   * The stored bytes to sign for {@code item}: those of the footer's row write, but only if the entity
   * holds exactly their plaintext. Values are grouped by row write, not by result-set position, so the
   * group may hold the genuine value while the entity got another row's (two rows of one query with
   * their values swapped); any such difference becomes {@link #FOREIGN} and fails the MAC.
   */
  private static byte[] signedBytes(SignedEntity.Sealed item, Object value, Map<String, LoadedRows.Value> values) {
    LoadedRows.Value signed = values.get(item.attribute().context());
    if (value == null || signed == null) {
      return value == null && signed == null ? null : FOREIGN;
    }
    return item.converter().convertsTo(value, signed.plaintext()) ? signed.stored() : FOREIGN;
  }

  /**
   * Whether every encrypted value of an unsigned row was read as legacy plaintext (transition reads):
   * such a row was written before rowseal, so it has no footer yet. A row with any rowseal value in it
   * was written by rowseal, which always signs.
   */
  private boolean onlyLegacy(SignedEntity entity, Object[] state, Object session) {
    boolean any = false;
    for (SignedEntity.Sealed item : entity.sealed) {
      Object value = item.path().get(state);
      if (value != null) {
        if (!signatures.loaded().claimLegacy(session, item.attribute().context(),
            item.converter().toRelationalValue(value))) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  @Override
  public String toString() {
    return "RowVerifier";
  }
}
