package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.testing.TestDatabase;
import java.util.List;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoundTripTest {

  /** Field by field, doubles compared bit-exactly (NaN equals NaN, -0.0 differs from 0.0). */
  static void assertSameValues(List<Sample> actual, List<Sample> expected) {
    assertThat(actual).usingRecursiveFieldByFieldElementComparator(
            RecursiveComparisonConfiguration.builder()
                .withIgnoredFields("version")
                .withComparatorForType(Double::compare, Double.class)
                .build())
        .containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void persistAndFind_everySupportedTypeAtItsBoundaries_readsBackEqual(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      jpa.inTransaction(s -> Samples.all().forEach(s::persist));

      List<Sample> loaded = jpa.fromTransaction(s -> Samples.all().stream()
          .map(expected -> s.find(Sample.class, expected.id)).toList());

      assertSameValues(loaded, Samples.all());
    }
  }
}
