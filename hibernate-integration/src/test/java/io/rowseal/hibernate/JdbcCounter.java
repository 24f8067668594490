package io.rowseal.hibernate;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Wraps a DataSource to count what reaches the JDBC driver: {@code executeBatch} calls and the rows
 * they carried, and single {@code executeUpdate}/{@code execute} calls. {@link #afterRows} runs an
 * action at a chosen row, for failures injected in the middle of a flush.
 */
final class JdbcCounter {
  final AtomicLong batches = new AtomicLong();
  final AtomicLong batchedRows = new AtomicLong();
  final AtomicLong singleUpdates = new AtomicLong();
  final java.util.List<String> prepared = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicLong rows = new AtomicLong();
  private volatile long actionAt = -1;
  private volatile Runnable action;

  DataSource wrap(DataSource target) {
    return proxy(DataSource.class, target);
  }

  /**
   * Runs {@code then} once, on the writing thread, right after the {@code n}-th row from now reached the
   * driver (added to a batch or executed on its own).
   */
  void afterRows(long n, Runnable then) {
    this.action = then;
    this.actionAt = rows.get() + n;
  }

  void reset() {
    batches.set(0);
    batchedRows.set(0);
    singleUpdates.set(0);
    prepared.clear();
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, Object target) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      String name = method.getName();
      if (name.equals("prepareStatement") && args != null && args[0] instanceof String q) {
        prepared.add(q);
      }
      if (name.equals("executeBatch")) {
        batches.incrementAndGet();
      } else if (name.equals("addBatch") && (args == null || args.length == 0)) {
        batchedRows.incrementAndGet();
      } else if ((name.equals("executeUpdate") || name.equals("execute")) && args == null) {
        singleUpdates.incrementAndGet();
      } else if (name.equals("unwrap") && args != null && args[0] == DataSource.class) {
        return p;
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      boolean row = (name.equals("addBatch") || name.equals("executeUpdate") || name.equals("execute"))
          && args == null && target instanceof Statement;
      if (row && rows.incrementAndGet() == actionAt) {
        actionAt = -1;
        action.run();
      }
      if (result instanceof PreparedStatement ps && method.getReturnType() == PreparedStatement.class) {
        return proxy(PreparedStatement.class, ps);
      }
      if (result instanceof Connection c && method.getReturnType() == Connection.class) {
        return proxy(Connection.class, c);
      }
      if (result instanceof Statement s && method.getReturnType() == Statement.class) {
        return proxy(Statement.class, s);
      }
      return result;
    });
  }
}
