package io.rowseal.spring;

import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * The test auto-configuration: registered in {@code META-INF/spring.factories}, which spring-test reads
 * for every test context (Spring Framework 6.2 and 7, so Spring Boot 3.5 and 4.x, full contexts and
 * slices such as {@code @DataJpaTest} alike), it marks the context as a test's, and rowseal then uses the
 * in-memory KMS unless the test set {@code rowseal.kms} or defined a {@code CmkProvider} bean.
 */
public final class RowsealTestContextCustomizerFactory implements ContextCustomizerFactory {
  @Override
  public ContextCustomizer createContextCustomizer(Class<?> testClass,
      List<ContextConfigurationAttributes> configAttributes) {
    return new Customizer();
  }

  /** Stateless: every instance is equal, so it does not split spring-test's context cache. */
  static final class Customizer implements ContextCustomizer {
    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
      context.getBeanFactory().registerSingleton(RowsealTestContext.BEAN_NAME, new RowsealTestContext());
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Customizer;
    }

    @Override
    public int hashCode() {
      return Customizer.class.hashCode();
    }
  }
}
