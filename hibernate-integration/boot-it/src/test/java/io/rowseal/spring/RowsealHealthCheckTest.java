package io.rowseal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The health component of a context in which rowseal encrypts nothing says so, and is not DOWN. */
class RowsealHealthCheckTest {
  @Test
  void noEntityManagerFactoryWithRowseal_isUnknownWithAReason() {
    RowsealHealthCheck check = new RowsealHealthCheck(new RowsealFactories(new StaticListableBeanFactory()));

    RowsealHealthCheck.Answer answer = check.check();

    assertThat(answer.status()).isEqualTo("UNKNOWN");
    assertThat(answer.details()).containsKey("reason");
  }
}
