package io.rowseal.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * A fault at a named point of the code under test, without a hook in that code: wraps a DataSource so
 * that, once {@link #arm armed}, the n-th run of a given statement (recognised by the start of its SQL
 * text) triggers an {@link Action} on the running thread, once: with the statement's transaction still
 * open, or right after it committed. {@link #park} stops the thread for good, for a kill test to kill
 * the JVM there; an action that throws makes the statement or the commit fail after it took effect.
 */
public final class StatementTrap {
  /** Where the action runs. */
  public enum When { IN_TRANSACTION, AFTER_COMMIT }

  /** What happens at the point. */
  @FunctionalInterface
  public interface Action {
    void run() throws SQLException;
  }

  private final String statementStart;
  private final When when;
  private final int occurrence;
  private final Action action;
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicBoolean sprung = new AtomicBoolean();
  private volatile boolean armed;

  public StatementTrap(String statementStart, When when, int occurrence, Action action) {
    this.statementStart = statementStart;
    this.when = when;
    this.occurrence = occurrence;
    this.action = action;
  }

  /** An action that prints {@code parked <name>} on standard output, then stops the thread for good. */
  public static Action park(String name) {
    return () -> {
      System.out.println("parked " + name);
      System.out.flush();
      while (true) {
        LockSupport.park();
      }
    };
  }

  public void arm() {
    armed = true;
  }

  /** Whether the action ran. */
  public boolean sprung() {
    return sprung.get();
  }

  public DataSource wrap(DataSource target) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("unwrap") && args[0] == DataSource.class) {
            return proxy;
          }
          Object result = invoke(method, target, args);
          return result instanceof Connection c ? connection(c) : result;
        });
  }

  private Connection connection(Connection target) {
    boolean[] ranIt = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          Object result = invoke(method, target, args);
          switch (method.getName()) {
            case "prepareStatement":
              return statement((PreparedStatement) result, (String) args[0], ranIt);
            case "commit":
              boolean committedIt = ranIt[0];
              ranIt[0] = false;
              if (committedIt) {
                spring();
              }
              return result;
            case "rollback":
              ranIt[0] = false;
              return result;
            default:
              return result;
          }
        });
  }

  private PreparedStatement statement(PreparedStatement target, String sql, boolean[] ranIt) {
    boolean watched = sql.startsWith(statementStart);
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
          Object result = invoke(method, target, args);
          if (watched && armed && args == null && method.getName().startsWith("execute")
              && runs.incrementAndGet() == occurrence) {
            if (when == When.IN_TRANSACTION) {
              spring();
            } else {
              ranIt[0] = true;
            }
          }
          return result;
        });
  }

  private void spring() throws SQLException {
    if (sprung.compareAndSet(false, true)) {
      action.run();
    }
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
