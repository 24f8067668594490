package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which rows sit under which key, and that destroying a version takes exactly those rows. */
class RowsealInventoryTest {

  private static void persist(Jpa jpa, long id) {
    OldCustomer c = new OldCustomer();
    c.id = id;
    c.email = "c" + id + "@example.org";
    c.score = (int) id;
    jpa.inTransaction(s -> s.persist(c));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void of_rowsUnderTwoVersionsAndLegacy_countsEachGroupWithItsStatusAndCmk(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, TransitionReadsTest.ON, OldCustomer.class)) {
      for (long id = 1; id <= 3; id++) {
        persist(jpa, id);
      }
      jpa.envelope.rotateBranchKey();
      persist(jpa, 4);
      persist(jpa, 5);
      TransitionReadsTest.legacyRow(jpa, 6, "old@example.org", null, null, null, null);
      jpa.rawUpdate("insert into " + jpa.table("old_customer") + " (id, name) values (7, 'nothing encrypted')");

      Map<String, RowsealInventory.Entry> inventory = RowsealInventory.of(jpa.sessionFactory).stream()
          .collect(Collectors.toMap(RowsealInventory.Entry::keys, e -> e));

      assertThat(inventory.get("default#1").rows()).isEqualTo(3);
      assertThat(inventory.get("default#2").rows()).isEqualTo(2);
      assertThat(inventory.get("default#2").status()).isEqualTo("ACTIVE");
      assertThat(inventory.get("default#1").status()).isNotEqualTo("ACTIVE");
      assertThat(inventory.get("default#1").cmkId()).isNotBlank();
      assertThat(inventory.get(RowsealInventory.LEGACY).rows()).isEqualTo(1);
      assertThat(inventory.get(RowsealInventory.NONE).rows()).isEqualTo(1);
      assertThat(RowsealInventory.report(jpa.sessionFactory)).contains("default#1", "legacy plaintext");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void destroyBranchKeyVersion_makesExactlyItsRowsUnreadable(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, OldCustomer.class)) {
      for (long id = 1; id <= 3; id++) {
        persist(jpa, id);
      }
      jpa.envelope.rotateBranchKey();
      persist(jpa, 4);
      persist(jpa, 5);

      jpa.envelope.destroyBranchKeyVersion(1);

      for (long id = 1; id <= 3; id++) {
        long row = id;
        Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(OldCustomer.class, row)));
        EncryptedReadException e = Causes.find(thrown, EncryptedReadException.class);
        assertThat(e.code()).isEqualTo("RS-4202");
        assertThat(e).hasMessageContaining("branch key default#1 was destroyed");
      }
      List<String> survivors = jpa.fromTransaction(s -> List.of(s.find(OldCustomer.class, 4L).email,
          s.find(OldCustomer.class, 5L).email));
      assertThat(survivors).containsExactly("c4@example.org", "c5@example.org");
    }
  }
}
