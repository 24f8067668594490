package io.rowseal.envelope;

import static io.rowseal.envelope.EnvelopeTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A read remembers the UTF-8 of the attribute names its thread read last ({@code RowKeys.LastRow#utf8}): the
 * name in a value's AAD must still be exactly the name asked for, whatever the memory holds.
 */
class AttributeNameMemoTest {

  @Test
  void moreNamesThanRemembered_equalButNotIdentical_andNonAscii_eachReadsOnlyUnderItsOwnName() throws Exception {
    Envelope envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).build();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      names.add("Customer.field" + i);
    }
    names.add("Kunde.straße");
    names.add("顧客.名前");
    List<byte[]> values = new ArrayList<>();
    try (RowEncryptor row = envelope.beginRow()) {
      for (String name : names) {
        values.add(row.encrypt(bytes("value of " + name), name));
      }
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        assertThat(envelope.decrypt(values.get(i), name)).isEqualTo(bytes("value of " + name));
        // an equal name built anew: not the remembered object, the same bytes
        assertThat(envelope.decrypt(values.get(i), new String(name.toCharArray()))).isEqualTo(bytes("value of " + name));
        // the name read just before is remembered now: a value read under it fails
        String previous = names.get((i + names.size() - 1) % names.size());
        int index = i;
        assertThatThrownBy(() -> envelope.decrypt(values.get(index), previous))
            .isInstanceOf(IntegrityException.class).hasMessageContaining(previous);
      }
    }
  }
}
