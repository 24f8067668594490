package io.rowseal.keystore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One test's key-store table on one database: a unique table name, the pools that reach it (each
 * pool standing for one process), and cleanup that drops the tables and closes the pools.
 */
final class StoreFixture implements AutoCloseable {
  static final String CMK = "cmk-test";

  final TestDatabase db;
  final String table = TestDatabase.uniqueTableName("bk");
  private final List<HikariDataSource> pools = new ArrayList<>();

  StoreFixture(TestDatabase db) {
    this.db = db;
    pools.add(db.dataSource()); // skips (or fails under CI) when the server is absent
  }

  /** The first pool, which the fixture also uses for its own SQL. */
  HikariDataSource dataSource() {
    return pools.get(0);
  }

  /** A store on the first pool. */
  JdbcBranchKeyStore store() {
    return new JdbcBranchKeyStore(dataSource(), table);
  }

  /** A store on a pool of its own, as another process would have; same database, same table. */
  JdbcBranchKeyStore storeInAnotherProcess() {
    return new JdbcBranchKeyStore(newPool(), table);
  }

  /** Another pool on the same database, closed with the fixture. */
  HikariDataSource newPool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(dataSource().getJdbcUrl()); // for H2: the same in-memory database
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(8);
    config.setPoolName("other-" + pools.size());
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  /** Wrapped bytes a test can recognise: they name the ref they were made for. */
  static byte[] wrapped(BranchKeyRef ref) {
    return ("wrapped:" + ref).getBytes(StandardCharsets.UTF_8);
  }

  boolean tableExists(String name) {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT COUNT(*) FROM " + name).close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  void execute(String sql) throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      dropIfExists(table);
      dropIfExists(table + "_head");
    } finally {
      pools.forEach(HikariDataSource::close);
    }
  }

  private void dropIfExists(String name) throws SQLException {
    if (!dataSource().isClosed()) {
      execute("DROP TABLE IF EXISTS " + name);
    }
  }
}
