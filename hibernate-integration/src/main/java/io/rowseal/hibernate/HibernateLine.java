package io.rowseal.hibernate;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.Version;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.AbstractEvent;
import org.hibernate.mapping.CheckConstraint;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Property;

/**
 * Everything rowseal does differently per Hibernate ORM line, in one place.
 *
 * <p>One rowseal-hibernate jar runs on every supported line (6.6 and 7.0 to 7.4): it is compiled
 * against the newest and calls only what all of them have, binary-compatibly. What differs is here:
 * the version check that refuses an unsupported Hibernate before rowseal touches its SPIs, and the few
 * boot-model operations whose API was renamed between lines or that no line offers.
 */
final class HibernateLine {
  /** The oldest supported line, and the newest major rowseal was built for. */
  static final String SUPPORTED = "6.6 and 7.0 to 7.4";
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\..*");
  private static volatile Boolean checked;

  private HibernateLine() {}

  /**
   * Fails with {@code RS-4020} unless the Hibernate ORM on the class path is one rowseal supports.
   * Runs before rowseal binds anything, so an unsupported line fails here with its version named, never
   * later with a {@code NoSuchMethodError} in the middle of a boot.
   */
  static void check() {
    if (checked == null) {
      String found = Version.getVersionString();
      if (!supported(found)) {
        throw new EncryptedMappingException("RS-4020", "unsupported Hibernate ORM " + found
            + ": rowseal supports Hibernate ORM " + SUPPORTED + " (Spring Boot 3.5, 4.0 and 4.1); "
            + "nothing was written");
      }
      if (!tested(found)) {
        org.slf4j.LoggerFactory.getLogger(HibernateLine.class).warn("rowseal: Hibernate ORM {} is newer than the "
            + "lines rowseal is tested on ({}); it is accepted, test your application on it", found, SUPPORTED);
      }
      checked = Boolean.TRUE;
    }
  }

  /** Whether {@code version} is one of the lines CI tests (6.6, 7.0 to 7.4), not only an accepted one. */
  static boolean tested(String version) {
    Matcher m = VERSION.matcher(version == null ? "" : version);
    return m.matches() && (m.group(1).equals("6") || Integer.parseInt(m.group(2)) <= 4);
  }

  /** Whether {@code version} (as {@link Version#getVersionString()} gives it) is a supported line. */
  static boolean supported(String version) {
    Matcher m = VERSION.matcher(version == null ? "" : version);
    if (!m.matches()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major == 6 && minor == 6 || major == 7;
  }

  /**
   * Whether the property is written with every insert and update. ({@code isUpdateable} is the one
   * spelling every line has; 7.1 added {@code isUpdatable} and deprecated it.)
   */
  @SuppressWarnings("deprecation")
  static boolean writtenWithRow(Property property) {
    return property.isInsertable() && property.isUpdateable() && property.getValueGeneratorCreator() == null;
  }

  /**
   * The session of an entity row-write event. {@code getSession()} returns {@code EventSource} on 6.6 and
   * {@code SharedSessionContractImplementor} on 7.x, a different method to the JVM; the handle per event
   * class binds to whichever this line has.
   */
  static SharedSessionContractImplementor session(Object event) {
    try {
      // Every row-write event is an AbstractEvent on every line: a constant handle the JIT inlines (a handle
      // looked up per class is called through its lambda form, ≈ 50 ns, twice per row write).
      return event instanceof AbstractEvent
          ? (SharedSessionContractImplementor) ABSTRACT_EVENT_SESSION.invokeExact(event)
          : (SharedSessionContractImplementor) SESSION.get(event.getClass()).invokeExact(event);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static final MethodHandle ABSTRACT_EVENT_SESSION = sessionGetter(AbstractEvent.class);

  private static MethodHandle sessionGetter(Class<?> type) {
    try {
      return MethodHandles.publicLookup().unreflect(type.getMethod("getSession"))
          .asType(MethodType.methodType(SharedSessionContractImplementor.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new EncryptedMappingException("RS-4020", type.getName() + ".getSession() is missing in Hibernate "
          + Version.getVersionString(), e);
    }
  }

  private static final ClassValue<MethodHandle> SESSION = new ClassValue<>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      return sessionGetter(type);
    }
  };

  /**
   * The JPA entity name of {@code persister} ({@code EntityPersister.getJpaEntityName()} is 7.x only):
   * from the boot model rowseal kept, else the unqualified entity name.
   */
  static String jpaEntityName(org.hibernate.engine.spi.SessionFactoryImplementor factory,
      org.hibernate.persister.entity.EntityPersister persister) {
    StartedFactory started = StartedFactory.of(factory);
    if (started != null) {
      for (EncryptedMappings.Found f : started.attributes()) {
        if (f.entity().getEntityName().equals(persister.getEntityName())) {
          return f.entity().getJpaEntityName();
        }
      }
    }
    String name = persister.getEntityName();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** Makes the property written with every insert and update ({@code setUpdateable}: see above). */
  @SuppressWarnings("deprecation")
  static void writeWithRow(Property property) {
    property.setInsertable(true);
    property.setUpdateable(true);
  }

  /**
   * Gives a column whose attribute rowseal now stores as ciphertext the JDBC type code of that
   * ciphertext. Hibernate set the plaintext type's code when it resolved the attribute and refuses to
   * change it ({@code Column.setSqlTypeCode} asserts), and it caches the column's size; both are reset
   * here. The fields have had these names since 6.0.
   */
  static void retype(Column column, int sqlTypeCode) {
    try {
      Field code = Column.class.getDeclaredField("sqlTypeCode");
      code.setAccessible(true);
      code.set(column, sqlTypeCode);
      Field size = Column.class.getDeclaredField("columnSize");
      size.setAccessible(true);
      size.set(column, null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new EncryptedMappingException("RS-4020", "cannot retype column " + column.getName()
          + " for ciphertext in Hibernate " + Version.getVersionString(), e);
    }
  }

  /**
   * Removes the check constraint {@code condition} that Hibernate derived from an attribute's own type
   * (an enum's constants, a boolean's 0/1) once rowseal stores ciphertext in its column. No line has
   * an API to remove a constraint from a boot-model column; the field has had this name since 6.0.
   */
  @SuppressWarnings("unchecked")
  static void removeCheck(Column column, String condition) {
    if (condition == null || !column.hasCheckConstraint()) {
      return;
    }
    try {
      Field f = Column.class.getDeclaredField("checkConstraints");
      f.setAccessible(true);
      ((List<CheckConstraint>) f.get(column)).removeIf(c -> condition.equals(c.getConstraint()));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new EncryptedMappingException("RS-4020", "cannot remove the check constraint Hibernate "
          + Version.getVersionString() + " put on column " + column.getName() + " (" + condition
          + "), which ciphertext would violate; declare the column with @Column(columnDefinition)", e);
    }
  }
}
