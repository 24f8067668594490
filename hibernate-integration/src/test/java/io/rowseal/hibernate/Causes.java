package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;

/** Finding rowseal's exception in what Hibernate wraps it in. */
final class Causes {
  private Causes() {}

  /** The first {@code type} in {@code thrown}'s cause chain; fails the test when there is none. */
  static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in the cause chain", thrown);
  }

  /** Booting {@code entity} (with {@link Account}) on H2 fails with {@code code}, naming every fragment. */
  static void assertBootFails(Class<?> entity, String code, String... fragments) {
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2, entity, Account.class).close());

    EncryptedMappingException e = find(thrown, EncryptedMappingException.class);
    assertThat(e.code()).isEqualTo(code);
    for (String fragment : fragments) {
      assertThat(e).hasMessageContaining(fragment);
    }
  }
}
