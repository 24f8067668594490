package io.rowseal.agent.internal;

import io.rowseal.agent.bootstrap.JarSectionClassLoader;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's one {@link ClassFileTransformer}: annotates the configured classes and hooks the two Hibernate
 * classes; every other class costs one hash lookup of its name and is left alone ({@code null}). Nothing that
 * the agent's own class loaders define is transformed.
 *
 * <p>Reports errors only, with their stack trace, never swallowed: a class whose transformation fails loads
 * unchanged, its targets are marked failed, and a session factory mapping them is refused (RS-6205).
 *
 * <p>Thread-safe: classes load concurrently.
 */
final class RowsealTransformer implements ClassFileTransformer {

  private final EncryptedFieldAnnotator annotator;
  private final TargetTracker tracker;
  /** Internal class name → the hook its constructors get. */
  private final Map<String, HibernateHooks.Hook> hooks = new HashMap<>();

  RowsealTransformer(EncryptedFieldAnnotator annotator, TargetTracker tracker) {
    this.annotator = annotator;
    this.tracker = tracker;
    hooks.put(HibernateHooks.BOOTSTRAP_REGISTRY_BUILDER.replace('.', '/'),
        HibernateHooks.Hook.REGISTRY_BUILDER_CREATED);
    hooks.put(HibernateHooks.SESSION_FACTORY.replace('.', '/'), HibernateHooks.Hook.SESSION_FACTORY_CREATED);
  }

  /** Whether the class of this name ({@code com.acme.Customer}) is one the agent transforms. */
  boolean transforms(String className) {
    String internalName = className.replace('.', '/');
    return hooks.containsKey(internalName) || annotator.classes().contains(internalName);
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classFile) {
    if (className == null) {
      return null;
    }
    HibernateHooks.Hook hook = hooks.get(className);
    boolean configured = hook == null && annotator.classes().contains(className);
    if ((hook == null && !configured) || loader instanceof JarSectionClassLoader) {
      return null;
    }
    try {
      return hook != null ? HibernateHooks.weave(className, classFile, hook)
          : annotator.annotate(className, classFile, loader);
    } catch (Throwable failure) {
      String typeName = className.replace('/', '.');
      tracker.failed(typeName);
      AgentLog.error("RS-6101 cannot transform " + typeName + " (loaded by " + loader + "); "
          + "its configured fields stay unannotated and any SessionFactory mapping them will refuse to "
          + "start (RS-6205)", failure);
      return null;
    }
  }
}
