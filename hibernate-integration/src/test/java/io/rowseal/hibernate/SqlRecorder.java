package io.rowseal.hibernate;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/** Records every SQL statement Hibernate prepares, like Hibernate's own SQLStatementInspector. */
final class SqlRecorder implements StatementInspector {
  private final List<String> sql = new CopyOnWriteArrayList<>();

  @Override
  public String inspect(String statement) {
    sql.add(statement);
    return statement;
  }

  void clear() {
    sql.clear();
  }

  long count(String verb) {
    String prefix = verb.toLowerCase(Locale.ROOT) + " ";
    return sql.stream().filter(s -> s.toLowerCase(Locale.ROOT).startsWith(prefix)).count();
  }

  List<String> statements() {
    return List.copyOf(sql);
  }
}
