package io.rowseal.bootit;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testing.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.ActiveProfiles;

/**
 * The application on PostgreSQL (profile {@code postgres}); skipped with a message when the server is
 * absent, a failure under {@code CI=true}.
 */
@ActiveProfiles("postgres")
class BootAppPostgresTest extends BootAppTestBase {
  @BeforeAll
  static void requirePostgresAndDropLastRunsTables() throws SQLException {
    // the in-memory KMS of the last run is gone, and with it the CMKs that wrapped its branch keys
    try (HikariDataSource dataSource = TestDatabase.POSTGRESQL.dataSource()) {
      TestDatabase.dropTablesNamedWith(dataSource, "rsboot_");
    }
  }
}
