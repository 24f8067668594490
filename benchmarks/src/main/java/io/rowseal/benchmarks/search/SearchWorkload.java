package io.rowseal.benchmarks.search;

import io.rowseal.IntegrityException;
import io.rowseal.benchmarks.macro.Database;
import io.rowseal.benchmarks.macro.Macro;
import io.rowseal.envelope.Envelope;
import io.rowseal.hibernate.RowsealSettings;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * The search benchmark's workload, shared by {@link Search} and its test: four tables of people with one
 * email each, row {@code i} holding {@link #email(int) email(i)} in every table, written through Hibernate
 * (so that the index columns hold exactly what rowseal writes), then looked up by email through Hibernate
 * ({@code from X where email = :e}) and by the parts such a lookup is made of.
 *
 * <p>Rowseal with its defaults (row signatures on) except an in-memory KMS and key store: the branch and
 * index keys are cached either way. Tables are made on open and dropped on {@link #close()}. Not thread-safe.
 */
public final class SearchWorkload implements AutoCloseable {
  /** JDBC batch, flush-and-clear interval and id allocation. */
  public static final int BATCH = 100;

  /** The four tables: each its own entity, the same emails. */
  public enum Kind {
    /** Plaintext email under an ordinary B-tree index: the baseline. */
    PLAIN(PlainPerson.class, "rsbsearch_plain"),
    /** {@code @Encrypted}, no index: cannot be searched; for the insert cost only. */
    SEALED(SealedPerson.class, "rsbsearch_sealed"),
    /** {@code @Encrypted @Searchable}, default sizing (17 bits for 1,000,000 distinct values). */
    INDEXED(IndexedPerson.class, "rsbsearch_indexed"),
    /** {@code @Encrypted @Searchable(unique = true)}: 256 bits, unique key. */
    UNIQUE(UniquePerson.class, "rsbsearch_unique");

    private final Class<? extends Person> type;
    private final String table;

    Kind(Class<? extends Person> type, String table) {
      this.type = type;
      this.table = table;
    }

    public Class<? extends Person> type() {
      return type;
    }

    public String table() {
      return table;
    }

    /** Whether a lookup by email can be answered on this table. */
    public boolean searchable() {
      return this != SEALED;
    }

    /** The lower-case name used in reports. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    Person create(String email) {
      return switch (this) {
        case PLAIN -> new PlainPerson(email);
        case SEALED -> new SealedPerson(email);
        case INDEXED -> new IndexedPerson(email);
        case UNIQUE -> new UniquePerson(email);
      };
    }
  }

  private final Database database;
  private final Envelope envelope;
  private final SessionFactory sessionFactory;
  private final ConnectionProvider connections;
  /** Rows written so far per kind: rows 0 … n-1 hold email(0) … email(n-1), ids 1 … n. */
  private final int[] written = new int[Kind.values().length];

  private SearchWorkload(Database database) {
    this.database = database;
    this.envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).build();
    this.sessionFactory = sessionFactory(database, envelope);
    this.connections = sessionFactory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
        .requireService(ConnectionProvider.class);
  }

  /** A session factory on {@code database} with the four tables dropped and created, all empty. */
  public static SearchWorkload open(Database database) {
    return new SearchWorkload(database);
  }

  private static SessionFactory sessionFactory(Database db, Envelope envelope) {
    return Macro.sessionFactory(db, java.util.Map.of(RowsealSettings.ENVELOPE, envelope,
        "hibernate.jdbc.batch_size", Integer.toString(BATCH)),
        java.util.Arrays.stream(Kind.values()).<Class<?>>map(Kind::type).toList());
  }

  public SessionFactory sessionFactory() {
    return sessionFactory;
  }

  public Database database() {
    return database;
  }

  /**
   * Email of row {@code i}: distinct for every {@code i}, about 30 characters, not in order of {@code i}
   * (a hashed part before the number), as addresses are.
   */
  public static String email(int i) {
    int h = i * 0x9E3779B1;
    h ^= h >>> 15;
    return String.format(Locale.ROOT, "%s.%08x.%d@example.org", FIRST[Math.floorMod(h, FIRST.length)], h, i);
  }

  private static final String[] FIRST = {"ada", "alan", "barbara", "claude", "donald", "edsger", "frances",
      "grace", "john", "ken", "leslie", "margaret", "niklaus", "radia", "tony", "whitfield"};

  /** Rows written so far to {@code kind}'s table. */
  public int rows(Kind kind) {
    return written[kind.ordinal()];
  }

  /**
   * Appends {@code n} rows to {@code kind}'s table in one transaction through one session (JDBC batches of
   * {@value #BATCH}, flushed and cleared every batch).
   */
  public void insert(Kind kind, int n) {
    int from = written[kind.ordinal()];
    try (Session session = sessionFactory.openSession()) {
      var tx = session.beginTransaction();
      for (int i = 0; i < n; i++) {
        session.persist(kind.create(email(from + i)));
        if ((i + 1) % BATCH == 0) {
          session.flush();
          session.clear();
        }
      }
      tx.commit();
    }
    written[kind.ordinal()] = from + n;
  }

  /** Updates the planner's statistics of the four tables (PostgreSQL; a no-op elsewhere). */
  public void analyze() {
    if (database == Database.POSTGRESQL) {
      jdbc(c -> {
        try (var st = c.createStatement()) {
          for (Kind k : Kind.values()) {
            st.execute("analyze " + k.table());
          }
        }
        return null;
      });
    }
  }

  /**
   * Looks row {@code i} up by its email through Hibernate, in a session of its own:
   * {@code from X where email = :e}.
   *
   * @return the id of the row found
   * @throws IllegalStateException unless exactly one row is found and it holds that email
   */
  public long lookup(Kind kind, int i) {
    String email = email(i);
    try (Session session = sessionFactory.openSession()) {
      List<? extends Person> found = session.createSelectionQuery("from " + kind.type().getSimpleName()
          + " where email = :e", kind.type()).setParameter("e", email).getResultList();
      if (found.size() != 1 || !email.equals(found.get(0).getEmail())) {
        throw new IllegalStateException(kind.id() + ": looking up row " + i + " found " + found.size() + " rows");
      }
      return found.get(0).getId();
    }
  }

  /** Finds the people with {@code email} through Hibernate (as {@link #lookup}, without the checks). */
  public List<? extends Person> find(Kind kind, String email) {
    try (Session session = sessionFactory.openSession()) {
      return session.createSelectionQuery("from " + kind.type().getSimpleName() + " where email = :e", kind.type())
          .setParameter("e", email).getResultList();
    }
  }

  /**
   * Loads row {@code i} by id through Hibernate, in a session of its own: an entity load with no search,
   * for what reading and decrypting the row found costs.
   */
  public long load(Kind kind, int i) {
    try (Session session = sessionFactory.openSession()) {
      Person p = session.find(kind.type(), (long) i + 1);
      if (p == null || !email(i).equals(p.getEmail())) {
        throw new IllegalStateException(kind.id() + ": row " + i + " is not id " + (i + 1));
      }
      return p.getId();
    }
  }

  /** The plaintext lookup by plain JDBC (one statement, no Hibernate): the database's part of it. */
  public long jdbcLookup(int i) {
    return jdbc(c -> {
      try (PreparedStatement ps = c.prepareStatement("select id, email from " + Kind.PLAIN.table()
          + " where email = ?")) {
        ps.setString(1, email(i));
        try (ResultSet rs = ps.executeQuery()) {
          long id = 0;
          int n = 0;
          while (rs.next()) {
            id = rs.getLong(1);
            n++;
          }
          if (n != 1) {
            throw new IllegalStateException("plain JDBC: row " + i + " found " + n + " times");
          }
          return id;
        }
      }
    });
  }

  /** The stored equality index value of row {@code i} of a searchable encrypted table. */
  public byte[] storedTag(Kind kind, int i) {
    return jdbc(c -> {
      try (PreparedStatement ps = c.prepareStatement("select email_bidx from " + kind.table() + " where id = ?")) {
        ps.setLong(1, i + 1L);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalStateException(kind.id() + ": no row " + i);
          }
          return rs.getBytes(1);
        }
      }
    });
  }

  /**
   * What a searchable lookup does before its main query, by plain JDBC and the engine's public API: the side
   * query for the rows whose index holds {@code tag} (as {@code SearchIndex.exactRows} renders it), each
   * candidate decrypted when {@code decrypt}, compared with row {@code i}'s email.
   *
   * @return the candidates' count; with {@code decrypt}, times 1,000 plus how many of them hold the email
   */
  public int candidates(Kind kind, int i, byte[] tag, boolean decrypt) {
    String context = kind.type().getSimpleName() + ".email";
    String email = email(i);
    return jdbc(c -> {
      try (PreparedStatement ps = c.prepareStatement("select email from " + kind.table()
          + " where email_bidx in (?)")) {
        ps.setBytes(1, tag);
        int n = 0;
        int matching = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byte[] stored = rs.getBytes(1);
            n++;
            if (decrypt && email.equals(text(envelope.decrypt(stored, context)))) {
              matching++;
            }
          }
        } catch (IntegrityException e) {
          throw new IllegalStateException(kind.id() + ": a candidate of row " + i + " does not decrypt", e);
        }
        return decrypt ? n * 1000 + matching : n;
      }
    });
  }

  /**
   * A searchable lookup's main query, by plain JDBC, as rowseal renders it for {@code email = :e}: the index
   * under the active and the previous key version (none here), and the stored values the side query vetted.
   *
   * @return the rows found
   */
  public int mainQuery(Kind kind, byte[] tag, byte[] vetted) {
    return mainQuery(kind, tag, null, vetted);
  }

  /**
   * The same with {@code previous} in the previous key version's slot: {@code tag} again shows what the
   * query costs when PostgreSQL can keep a generic plan for it (with a {@code NULL} there it plans anew on
   * every execution).
   */
  public int mainQuery(Kind kind, byte[] tag, byte[] previous, byte[] vetted) {
    return jdbc(c -> {
      try (PreparedStatement ps = c.prepareStatement("select id, email from " + kind.table()
          + " where email_bidx in (?, ?) and position(email in ?) > 0")) {
        ps.setBytes(1, tag);
        ps.setBytes(2, previous);
        ps.setBytes(3, vetted);
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            n++;
          }
        }
        return n;
      }
    });
  }

  /** A text attribute's plaintext: the codec's tag byte (0x01), then UTF-8. */
  private static String text(byte[] plaintext) {
    if (plaintext.length == 0 || plaintext[0] != 1) {
      throw new IllegalStateException("not a text value");
    }
    return new String(plaintext, 1, plaintext.length - 1, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Runs {@code sql} with {@code parameters} and returns its rows' first column as text (plans, sizes). */
  public List<String> rows(String sql, Object... parameters) {
    return jdbc(c -> {
      List<String> out = new java.util.ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int p = 0; p < parameters.length; p++) {
          ps.setObject(p + 1, parameters[p]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  /** Stored bytes of a column of row {@code i} (for checks on what was written). */
  public byte[] stored(Kind kind, String column, int i) {
    return jdbc(c -> {
      try (PreparedStatement ps = c.prepareStatement("select " + column + " from " + kind.table()
          + " where id = ?")) {
        ps.setLong(1, i + 1L);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
  }

  private interface JdbcWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on a connection of the session factory's pool, in auto-commit. */
  private <T> T jdbc(JdbcWork<T> work) {
    try {
      Connection c = connections.getConnection();
      try {
        return work.run(c);
      } finally {
        connections.closeConnection(c);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Closes the session factory, which drops the four tables. */
  @Override
  public void close() {
    try {
      sessionFactory.close();
    } finally {
      envelope.close();
    }
  }
}
