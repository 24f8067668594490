package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The durable key state of a {@link DurableFactory}'s tables, for the kill tests: how many branch-key
 * versions (of key id {@code default}) exist and how many of them, the oldest, are destroyed, how many CMK
 * versions exist, which CMK version wraps the ACTIVE branch key, and the domain-key generation.
 * {@link #read} also checks that the state is whole: branch-key versions numbered 1..n, the last one
 * ACTIVE and named by the head row, the destroyed ones first and without a key, the others DECRYPT_ONLY
 * with their key; one CMK with versions 1..m; exactly one domain token, and every EKT sealed under it.
 */
record KeyState(int branchKeyVersions, int destroyedBranchKeyVersions, int cmkVersions,
    int activeBranchKeyCmkVersion, long domainKeyGeneration) {

  KeyState branchKeyRotated() {
    return new KeyState(branchKeyVersions + 1, destroyedBranchKeyVersions, cmkVersions, cmkVersions,
        domainKeyGeneration);
  }

  KeyState oldestBranchKeyDestroyed() {
    return new KeyState(branchKeyVersions, destroyedBranchKeyVersions + 1, cmkVersions, activeBranchKeyCmkVersion,
        domainKeyGeneration);
  }

  KeyState olderBranchKeysDestroyed() {
    return new KeyState(branchKeyVersions, branchKeyVersions - 1, cmkVersions, activeBranchKeyCmkVersion,
        domainKeyGeneration);
  }

  KeyState cmkRotated() {
    return new KeyState(branchKeyVersions, destroyedBranchKeyVersions, cmkVersions + 1, activeBranchKeyCmkVersion,
        domainKeyGeneration);
  }

  KeyState domainKeyRotated() {
    return new KeyState(branchKeyVersions, destroyedBranchKeyVersions, cmkVersions, activeBranchKeyCmkVersion,
        domainKeyGeneration + 1);
  }

  /** Reads the state of the tables suffixed {@code suffix}; fails, naming every problem, unless it is whole. */
  static KeyState read(DataSource ds, String suffix) throws SQLException {
    String keys = DurableFactory.keyStoreTable(suffix);
    String kms = DurableFactory.kmsTablePrefix(suffix);
    List<String> problems = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      int versions = 0;
      int destroyed = 0;
      int activeUnder = 0;
      try (ResultSet rs = s.executeQuery("select key_version, status, wrapped_key from " + keys
          + " where key_id = 'default' order by key_version")) {
        List<String> statuses = new ArrayList<>();
        while (rs.next()) {
          versions++;
          if (rs.getInt(1) != versions) {
            problems.add("branch-key version " + rs.getInt(1) + " where " + versions + " was due");
          }
          statuses.add(rs.getString(2));
          if (rs.getString(2).equals("DESTROYED") && destroyed == versions - 1) {
            destroyed++;
          }
          byte[] wrapped = rs.getBytes(3);
          if ((wrapped == null) != (versions <= destroyed)) {
            problems.add("branch-key version " + versions + (wrapped == null ? " has no" : " kept its") + " wrapped key");
          } else if (wrapped != null) {
            activeUnder = ByteBuffer.wrap(wrapped, 1, 4).getInt();
          }
        }
        for (int i = 0; i < statuses.size(); i++) {
          String due = i == statuses.size() - 1 ? "ACTIVE" : i < destroyed ? "DESTROYED" : "DECRYPT_ONLY";
          if (!statuses.get(i).equals(due)) {
            problems.add("branch-key version " + (i + 1) + " is " + statuses.get(i) + ", not " + due);
          }
        }
      }
      try (ResultSet rs = s.executeQuery("select active_version, max_version from " + keys
          + "_head where key_id = 'default'")) {
        if (!rs.next() || rs.getInt(1) != versions || rs.getInt(2) != versions) {
          problems.add("the head row does not name version " + versions + " as active and highest");
        }
      }
      List<Long> tokens = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("select generation from " + kms + "domain_token")) {
        while (rs.next()) {
          tokens.add(rs.getLong(1));
        }
      }
      if (tokens.size() != 1) {
        problems.add("domain tokens of generations " + tokens + ", not one");
      }
      long generation = tokens.isEmpty() ? 0 : tokens.get(0);
      int cmkVersions = 0;
      List<String> cmks = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("select cmk_id, cmk_version, dk_generation from " + kms
          + "ekt order by cmk_id, cmk_version")) {
        while (rs.next()) {
          if (!cmks.contains(rs.getString(1))) {
            cmks.add(rs.getString(1));
          }
          cmkVersions++;
          if (rs.getInt(2) != cmkVersions) {
            problems.add("CMK version " + rs.getInt(2) + " where " + cmkVersions + " was due");
          }
          if (rs.getLong(3) != generation) {
            problems.add("CMK version " + rs.getInt(2) + " is sealed under domain key " + rs.getLong(3)
                + ", not under the current " + generation);
          }
        }
      }
      if (cmks.size() != 1) {
        problems.add("EKTs of CMKs " + cmks + ", not of one");
      }
      assertThat(problems).as("key state of tables *%s*", suffix).isEmpty();
      return new KeyState(versions, destroyed, cmkVersions, activeUnder, generation);
    }
  }
}
