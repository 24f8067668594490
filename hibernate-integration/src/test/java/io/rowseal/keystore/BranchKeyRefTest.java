package io.rowseal.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BranchKeyRefTest {

  @ParameterizedTest
  @ValueSource(strings = {"default", "a", "Tenant-42_eu.west:1", "0123456789012345678901234567890123456789012345678901234567890123"})
  void checkKeyId_allowedCharactersUpTo64_accepted(String id) {
    assertThat(BranchKeyRef.checkKeyId(id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "with space", "slash/no", "ümlaut", "01234567890123456789012345678901234567890123456789012345678901234"})
  void checkKeyId_otherCharactersOrTooLong_refusedNamingTheId(String id) {
    assertThatThrownBy(() -> BranchKeyRef.checkKeyId(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + id + "'");
  }
}
