package io.rowseal.hibernate;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.hibernate.metamodel.mapping.JdbcMapping;
import org.hibernate.metamodel.mapping.JdbcMappingContainer;
import org.hibernate.sql.ast.SqlAstWalker;
import org.hibernate.sql.ast.tree.expression.JdbcParameter;
import org.hibernate.sql.exec.spi.ExecutionContext;
import org.hibernate.sql.exec.spi.JdbcParameterBinder;
import org.hibernate.sql.exec.spi.JdbcParameterBindings;

/**
 * A JDBC parameter of a rewritten search predicate ({@link SearchRewrite}): its value is computed when the
 * statement is bound, from the search value the query carries (a bound parameter or a literal), by
 * {@code compute}. Never registered with the query's own parameters: Hibernate binds those, rowseal these.
 */
final class SearchParameter implements JdbcParameter, JdbcParameterBinder {

  /** Computes and binds the value of one parameter. */
  interface Value {
    void bind(PreparedStatement st, int position, JdbcParameterBindings bindings, ExecutionContext context)
        throws SQLException;
  }

  private final JdbcMapping type;
  private final Value value;

  SearchParameter(JdbcMapping type, Value value) {
    this.type = type;
    this.value = value;
  }

  @Override
  public JdbcParameterBinder getParameterBinder() {
    return this;
  }

  /** Hibernate 7 numbers parameters it registers; these are rowseal's own. */
  public Integer getParameterId() {
    return null;
  }

  @Override
  public void bindParameterValue(PreparedStatement statement, int startPosition, JdbcParameterBindings bindings,
      ExecutionContext executionContext) throws SQLException {
    value.bind(statement, startPosition, bindings, executionContext);
  }

  @Override
  public JdbcMappingContainer getExpressionType() {
    return type;
  }

  @Override
  public void accept(SqlAstWalker walker) {
    walker.visitParameter(this);
  }

  static void bindBytes(PreparedStatement st, int position, byte[] bytes) throws SQLException {
    if (bytes == null) {
      st.setNull(position, Types.VARBINARY);
    } else {
      st.setBytes(position, bytes);
    }
  }
}
