package io.rowseal.hibernate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.rowseal.envelope.DekId;
import java.lang.ref.WeakReference;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the extractors of one session read, for {@link RowVerifier}: the entity's loaded state holds
 * plaintext, but a row's signature covers its stored bytes. Encrypted values (stored bytes and the
 * plaintext they decrypted to) and footers are grouped by the row write they carry ({@link DekId}); a
 * footer's group is kept until the entity's pre-load event takes it.
 *
 * <p>Bounded: Hibernate reads an entity's columns together, so a value whose footer has not been seen
 * yet waits among the last {@value #PENDING_ROWS} row writes only; values with no footer at all (scalar
 * and DTO projections) pass through that window and are dropped. Groups whose footer is never claimed
 * (an entity already in the persistence context, a failed load) are swept once their result set is
 * closed. Sessions are held weakly. Thread-safe across sessions; one session is used by one thread at a
 * time.
 *
 * <p>Every column of every row read looks its session up, so each thread remembers the last session it
 * looked up, weakly, in front of the (weak-keyed, hence allocating) session map.
 */
final class LoadedRows {
  static final int PENDING_ROWS = 256;
  private static final int FIRST_SWEEP = 1024;

  private final Cache<Object, SessionRows> sessions = Caffeine.newBuilder().weakKeys().build();
  private final ThreadLocal<Last> last = new ThreadLocal<>();

  /** A thread's last lookup; weak both ways, so it keeps neither a session nor what it read alive. */
  private record Last(WeakReference<Object> session, WeakReference<SessionRows> rows) {
    SessionRows rowsOf(Object s) {
      return session.get() == s ? rows.get() : null;
    }
  }

  /** The stored bytes of one encrypted value as read, and the plaintext encoding they decrypted to. */
  record Value(byte[] stored, byte[] plaintext) {}

  /** Notes one legacy plaintext value read in {@code session} (transition reads). */
  void legacy(Object session, String attribute, byte[] plaintext) {
    of(session).legacy.put(new Legacy(attribute, java.nio.ByteBuffer.wrap(plaintext)), Boolean.TRUE);
  }

  /**
   * Whether {@code plaintext} of {@code attribute} was read as legacy plaintext in {@code session}, and
   * forgets it: a row without a footer is accepted only if every value it holds was.
   */
  boolean claimLegacy(Object session, String attribute, byte[] plaintext) {
    SessionRows rows = ifPresent(session);
    return rows != null
        && rows.legacy.remove(new Legacy(attribute, java.nio.ByteBuffer.wrap(plaintext))) != null;
  }

  private record Legacy(String attribute, java.nio.ByteBuffer plaintext) {}

  /** Notes one encrypted value read in {@code session}. */
  void value(Object session, DekId id, String attribute, byte[] stored, byte[] plaintext) {
    of(session).value(id, attribute, new Value(stored, plaintext));
  }

  /** Notes a footer read in {@code session} from {@code rs} ({@code null} for a callable statement). */
  void footer(Object session, ResultSet rs, StoredFooter footer) {
    if (footer.dekId() != null) {
      of(session).footer(rs, footer);
    }
  }

  /**
   * Takes the stored values of {@code footer}'s row write, or returns {@code null} if this session did
   * not read that very footer (its state came from a cache).
   */
  Map<String, Value> claim(Object session, StoredFooter footer) {
    SessionRows rows = ifPresent(session);
    return rows == null || footer.dekId() == null ? null : rows.claim(footer);
  }

  /** Lets rows without a footer load in {@code session} (for {@link RowSignatureBackfill}). */
  void allowUnsigned(Object session) {
    of(session).allowUnsigned = true;
  }

  boolean unsignedAllowed(Object session) {
    SessionRows rows = ifPresent(session);
    return rows != null && rows.allowUnsigned;
  }

  /** How many row writes {@code session} holds values of, waiting or kept (for tests). */
  int size(Object session) {
    SessionRows rows = ifPresent(session);
    return rows == null ? 0 : rows.rows.size() + rows.pending.size();
  }

  private SessionRows of(Object session) {
    Last l = last.get();
    SessionRows rows = l == null ? null : l.rowsOf(session);
    if (rows == null) {
      rows = sessions.get(session, s -> new SessionRows());
      last.set(new Last(new WeakReference<>(session), new WeakReference<>(rows)));
    }
    return rows;
  }

  private SessionRows ifPresent(Object session) {
    Last l = last.get();
    SessionRows rows = l == null ? null : l.rowsOf(session);
    return rows != null ? rows : sessions.getIfPresent(session);
  }

  /** One session's groups. */
  private static final class SessionRows {
    final Map<DekId, Row> rows = new HashMap<>();
    final Map<DekId, Map<String, Value>> pending = new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<DekId, Map<String, Value>> eldest) {
        return size() > PENDING_ROWS;
      }
    };
    int sweepAt = FIRST_SWEEP;
    boolean allowUnsigned;
    /** Legacy plaintext values read and not yet claimed by their row's load; bounded like pending. */
    final Map<Legacy, Boolean> legacy = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Legacy, Boolean> eldest) {
        return size() > 16 * PENDING_ROWS;
      }
    };

    void value(DekId id, String attribute, Value value) {
      Row row = rows.get(id);
      if (row != null) {
        row.values.put(attribute, value);
      } else {
        pending.computeIfAbsent(id, k -> new HashMap<>(8)).put(attribute, value);
      }
    }

    void footer(ResultSet rs, StoredFooter footer) {
      Row row = rows.get(footer.dekId());
      if (row == null) {
        if (rows.size() >= sweepAt) {
          sweep();
        }
        Map<String, Value> early = pending.remove(footer.dekId());
        row = new Row(rs, early != null ? early : new HashMap<>(8)); // the row takes the values read before it
        rows.put(footer.dekId(), row);
      }
      row.add(footer);
    }

    Map<String, Value> claim(StoredFooter footer) {
      Row row = rows.get(footer.dekId());
      if (row == null || !row.removeFooter(footer)) {
        return null;
      }
      // Several footers can name one row write (a footer copied into another row): each is checked.
      if (row.isEmpty()) {
        rows.remove(footer.dekId());
      }
      return row.values;
    }

    private void sweep() {
      for (Iterator<Row> it = rows.values().iterator(); it.hasNext(); ) {
        if (it.next().isClosed()) {
          it.remove();
        }
      }
      sweepAt = Math.max(FIRST_SWEEP, 2 * rows.size());
    }
  }

  /** The footers and stored values of one row write, as read. */
  private static final class Row {
    /** The footer read for this row write; more only when a footer was copied into other rows. */
    private StoredFooter footer;
    private List<StoredFooter> more;
    final Map<String, Value> values;
    final ResultSet rs;

    Row(ResultSet rs, Map<String, Value> values) {
      this.rs = rs;
      this.values = values;
    }

    void add(StoredFooter f) {
      if (footer == null) {
        footer = f;
      } else {
        if (more == null) {
          more = new ArrayList<>(2);
        }
        more.add(f);
      }
    }

    boolean isEmpty() {
      return footer == null && (more == null || more.isEmpty());
    }

    /** Removes {@code f} (by identity). */
    boolean removeFooter(StoredFooter f) {
      if (footer == f) {
        footer = null;
        return true;
      }
      if (more != null) {
        for (int i = 0; i < more.size(); i++) {
          if (more.get(i) == f) {
            more.remove(i);
            return true;
          }
        }
      }
      return false;
    }

    boolean isClosed() {
      try {
        return rs != null && rs.isClosed();
      } catch (Exception e) {
        return true;
      }
    }
  }
}
