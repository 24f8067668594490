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
 * they carried, and single {@code executeUpdate}/{@code execute} calls.
 */
final class JdbcCounter {
  final AtomicLong batches = new AtomicLong();
  final AtomicLong batchedRows = new AtomicLong();
  final AtomicLong singleUpdates = new AtomicLong();
  final java.util.List<String> prepared = new java.util.concurrent.CopyOnWriteArrayList<>();

  DataSource wrap(DataSource target) {
    return proxy(DataSource.class, target);
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
