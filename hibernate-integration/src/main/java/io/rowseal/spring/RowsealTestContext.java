package io.rowseal.spring;

/**
 * Marks a Spring test context ({@code @SpringBootTest}, {@code @DataJpaTest}, any spring-test context):
 * {@link RowsealTestContextCustomizerFactory} registers it, and the auto-configuration then defaults
 * {@code rowseal.kms} to {@code in-memory} unless the test configured a KMS.
 */
final class RowsealTestContext {
  static final String BEAN_NAME = "io.rowseal.spring.RowsealTestContext";
}
