package io.rowseal.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Class files of test classes, and a child-first loader that defines a transformed copy of one. */
final class ClassFiles {

  private ClassFiles() {}

  static byte[] of(Class<?> type) {
    String resource = type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Defines {@code classFile} under {@code type}'s name in a new loader; everything else comes from the test's. */
  static Class<?> define(Class<?> type, byte[] classFile) {
    ClassLoader loader = new ClassLoader(type.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
          if (name.equals(type.getName())) {
            Class<?> loaded = findLoadedClass(name);
            return loaded != null ? loaded : defineClass(name, classFile, 0, classFile.length);
          }
          return super.loadClass(name, resolve);
        }
      }
    };
    try {
      return Class.forName(type.getName(), true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
