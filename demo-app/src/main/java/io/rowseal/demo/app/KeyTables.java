package io.rowseal.demo.app;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The key hierarchy as the database stores it, read through plain JDBC from the tables of the default
 * JDBC branch-key store and of LocalKms ({@code docs/KEY-HIERARCHY.md}). Works in both modes, since
 * neither needs a rowseal class. Reads identifiers, states and dates only: every key column holds
 * wrapped keys, and none is selected.
 */
final class KeyTables {
  static final String BRANCH_KEYS = "rowseal_branch_keys";
  static final String KMS_PREFIX = "rowseal_kms_";

  /** One CMK as table {@code rowseal_kms_cmk} describes it. */
  record Cmk(String id, String state, String description) {}

  /** One branch-key version as table {@code rowseal_branch_keys} describes it. */
  record BranchKey(String keyId, int version, String status, String cmkId, Instant createdAt) {
    String name() {
      return keyId + " v" + version;
    }
  }

  /** A snapshot of the stored key hierarchy. */
  record State(int hsmCount, long domainKeyGeneration, List<Cmk> cmks, List<BranchKey> branchKeys) {}

  private KeyTables() {}

  static State read(DataSource dataSource) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      int hsms = (int) single(s, "select count(*) from " + KMS_PREFIX + "hsm");
      long generation = single(s, "select coalesce(max(generation), 0) from " + KMS_PREFIX + "domain_token");
      List<Cmk> cmks = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("select cmk_id, state, description from " + KMS_PREFIX
          + "cmk order by created_at")) {
        while (rs.next()) {
          cmks.add(new Cmk(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
      List<BranchKey> versions = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("select key_id, key_version, status, cmk_id, created_at_ms from "
          + BRANCH_KEYS + " order by key_id, key_version")) {
        while (rs.next()) {
          versions.add(new BranchKey(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
              Instant.ofEpochMilli(rs.getLong(5))));
        }
      }
      return new State(hsms, generation, cmks, versions);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the key tables (" + e.getMessage() + ")", e);
    }
  }

  private static long single(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
