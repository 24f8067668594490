package io.rowseal.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.agent.bootstrap.AgentContext;
import io.rowseal.agent.bootstrap.AgentException;
import io.rowseal.agent.bootstrap.RowsealBridge;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hook woven into Hibernate's constructors: one bridge call at each normal exit, outside the constructor's own handlers. */
class HibernateHooksTest {

  /** Constructors with every shape of exit: delegation, early returns, a return inside try/catch, wide parameters. */
  static class Hooked {
    boolean caught;

    Hooked() {
      this(0, 0.5, "fall-through");
    }

    Hooked(long count, double ratio, String path) {
      if (count > 0) {
        return;
      }
      try {
        if (path.equals("try")) {
          return;
        }
      } catch (RuntimeException e) {
        caught = true;
      }
      long wide = count + (long) ratio;
      if (wide < 0) {
        throw new IllegalArgumentException(path);
      }
    }
  }

  private static final Recording CONTEXT = new Recording();

  static {
    RowsealBridge.install(CONTEXT);
  }

  @BeforeEach
  void reset() {
    CONTEXT.calls.clear();
    CONTEXT.refuse = false;
  }

  private static Class<?> woven(HibernateHooks.Hook hook) {
    return ClassFiles.define(Hooked.class,
        HibernateHooks.weave(Hooked.class.getName().replace('.', '/'), ClassFiles.of(Hooked.class), hook));
  }

  private static Object construct(Class<?> type, Object... arguments) throws Exception {
    Constructor<?> constructor = arguments.length == 0 ? type.getDeclaredConstructor()
        : type.getDeclaredConstructor(long.class, double.class, String.class);
    constructor.setAccessible(true); // the woven copy lives in another run-time package
    try {
      return constructor.newInstance(arguments);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void weave_sessionFactoryHook_callsTheBridgeOnceAtEachExitOfEachConstructor() throws Exception {
    Class<?> type = woven(HibernateHooks.Hook.SESSION_FACTORY_CREATED);

    Object early = construct(type, 1L, 0.0, "early");
    Object inTry = construct(type, 0L, 0.0, "try");
    Object fallThrough = construct(type, 0L, 0.0, "fall-through");
    Object delegating = construct(type);

    // the delegating constructor exits twice: its delegate's exit, then its own
    assertThat(CONTEXT.calls).containsExactly(List.of("sessionFactoryCreated", early),
        List.of("sessionFactoryCreated", inTry), List.of("sessionFactoryCreated", fallThrough),
        List.of("sessionFactoryCreated", delegating), List.of("sessionFactoryCreated", delegating));
  }

  @Test
  void weave_sessionFactoryHook_exceptionThrownExits_callNothing() {
    Class<?> type = woven(HibernateHooks.Hook.SESSION_FACTORY_CREATED);

    assertThatThrownBy(() -> construct(type, -5L, 0.0, "throws")).isInstanceOf(IllegalArgumentException.class);
    assertThat(CONTEXT.calls).isEmpty();
  }

  @Test
  void weave_bridgeRefuses_theConstructorsOwnCatchDoesNotSwallowIt() {
    Class<?> type = woven(HibernateHooks.Hook.SESSION_FACTORY_CREATED);
    CONTEXT.refuse = true;

    assertThatThrownBy(() -> construct(type, 0L, 0.0, "try")).isInstanceOf(AgentException.class)
        .hasMessage("refused");
  }

  @Test
  void weave_registryBuilderHook_passesTheInstanceAndItsClass() throws Exception {
    Class<?> type = woven(HibernateHooks.Hook.REGISTRY_BUILDER_CREATED);

    Object built = construct(type, 1L, 0.0, "early");

    assertThat(CONTEXT.calls).containsExactly(List.of("bootstrapRegistryBuilderCreated", built, type));
    assertThat(type.getDeclaredMethods()).isEmpty();
    assertThat(type.getDeclaredFields()).hasSameSizeAs(Hooked.class.getDeclaredFields());
  }

  /** Records the bridge's calls; refuses them when told to. */
  private static final class Recording implements AgentContext {
    final List<List<Object>> calls = new CopyOnWriteArrayList<>();
    volatile boolean refuse;

    @Override
    public void bootstrapRegistryBuilderCreated(Object builder, Class<?> builderType) {
      calls.add(List.of("bootstrapRegistryBuilderCreated", builder, builderType));
    }

    @Override
    public void sessionFactoryCreated(Object sessionFactory) {
      if (refuse) {
        throw new AgentException("refused");
      }
      calls.add(List.of("sessionFactoryCreated", sessionFactory));
    }

    @Override
    public Map<String, String> hibernateSettings() {
      return Map.of();
    }

    @Override
    public List<String> migrateEntities() {
      return List.of();
    }

    @Override
    public boolean migrateAtStart() {
      return false;
    }

    @Override
    public void info(String message) {}

    @Override
    public String configSource() {
      return "test";
    }

    @Override
    public Map<String, String[]> encryptedFields() {
      return Map.of();
    }

    @Override
    public void sessionFactoryVerified(Object sessionFactory, List<String> problems, List<String> warnings) {}

    @Override
    public void warn(String message) {}
  }
}
