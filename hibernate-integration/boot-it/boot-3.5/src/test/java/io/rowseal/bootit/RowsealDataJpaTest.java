package io.rowseal.bootit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** {@link DataJpaTestBase} under Spring Boot 3.5's {@code @DataJpaTest}. */
@DataJpaTest
@ExtendWith(OutputCaptureExtension.class)
class RowsealDataJpaTest extends DataJpaTestBase {}
