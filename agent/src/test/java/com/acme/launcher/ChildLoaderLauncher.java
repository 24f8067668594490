package com.acme.launcher;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts an application from a child class loader, as application servers and executable-jar launchers
 * do: Hibernate, the entities and their libraries are invisible to the system class loader, which
 * holds only this launcher (and the agent's bootstrap).
 *
 * <pre>ChildLoaderLauncher CHILD_CLASS_PATH MAIN_CLASS [ARGS...]</pre>
 */
public final class ChildLoaderLauncher {

  private ChildLoaderLauncher() {}

  public static void main(String[] args) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : args[0].split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    URLClassLoader child = new URLClassLoader("app", urls.toArray(new URL[0]),
        ClassLoader.getSystemClassLoader());
    Thread.currentThread().setContextClassLoader(child);
    Method main = Class.forName(args[1], true, child).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
  }
}
