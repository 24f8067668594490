package io.rowseal.hibernate;

import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.JdbcMapping;
import org.hibernate.metamodel.mapping.JdbcMappingContainer;
import org.hibernate.sql.ast.SqlAstNodeRenderingMode;
import org.hibernate.sql.ast.SqlAstTranslator;
import org.hibernate.sql.ast.spi.SqlAppender;
import org.hibernate.sql.ast.tree.expression.ColumnReference;
import org.hibernate.sql.ast.tree.expression.JdbcParameter;
import org.hibernate.sql.ast.tree.expression.SelfRenderingExpression;
import org.hibernate.sql.exec.spi.ExecutionContext;
import org.hibernate.sql.exec.spi.JdbcParameterBinding;
import org.hibernate.sql.exec.spi.JdbcParameterBindings;

/**
 * A search on a {@code @Searchable} attribute, rendered onto its index columns:
 * <pre>
 * equality: (q.col_bidx in (?,?, …) and position(q.col in ?) &gt; 0)
 * prefix:   ((q.col_p1 in (?,?) or … or q.col_pL in (?,?) or (? = 1 and q.col is not null))
 *            and (? = 1 or position(q.col in ?) &gt; 0))
 * </pre>
 * Each value gets its tag under the active index-key version and the one before (rows written before a
 * rotation stay found until the existing-data job re-indexes them). The last parameter holds, when the
 * statement is bound, the stored values of exactly the matching rows: rowseal reads the rows the index
 * points at, decrypts them and keeps those equal to (or starting with) the searched value, so the false
 * positives of a truncated index, and rows whose index was altered, never reach the caller.
 */
final class SearchPredicate implements SelfRenderingExpression {

  /** A searched value: a query parameter, or a literal. */
  record Operand(JdbcParameter parameter, Object literal) {
    Object raw(JdbcParameterBindings bindings) {
      if (parameter == null) {
        return literal;
      }
      JdbcParameterBinding b = bindings.getBinding(parameter);
      return b == null ? null : b.getBindValue();
    }

    /** The domain value searched for. */
    Object value(SearchIndex index, JdbcParameterBindings bindings) {
      Object v = raw(bindings);
      if (v instanceof byte[] bytes && (parameter != null || index.text())) {
        return index.encrypted().codec().toDomain(bytes);
      }
      return v;
    }
  }

  private final SearchIndex index;
  private final ColumnReference column;
  private final boolean negated;
  private final boolean prefix;
  private final List<Operand> values;
  private final Operand escape;
  private final JdbcMapping binary;
  private final JdbcMapping integer;

  private SearchPredicate(SearchIndex index, ColumnReference column, boolean negated, boolean prefix,
      List<Operand> values, Operand escape, JdbcMapping binary, JdbcMapping integer) {
    this.index = index;
    this.column = column;
    this.negated = negated;
    this.prefix = prefix;
    this.values = List.copyOf(values);
    this.escape = escape;
    this.binary = binary;
    this.integer = integer;
  }

  static SearchPredicate equality(SearchIndex index, ColumnReference column, List<Operand> values, boolean negated,
      JdbcMapping binary, JdbcMapping integer) {
    return new SearchPredicate(index, column, negated, false, values, null, binary, integer);
  }

  static SearchPredicate prefix(SearchIndex index, ColumnReference column, Operand pattern, Operand escape,
      boolean negated, JdbcMapping binary, JdbcMapping integer) {
    return new SearchPredicate(index, column, negated, true, List.of(pattern), escape, binary, integer);
  }

  @Override
  public JdbcMappingContainer getExpressionType() {
    return null;
  }

  @Override
  public void renderToSql(SqlAppender sql, SqlAstTranslator<?> walker, SessionFactoryImplementor factory) {
    String q = column.getQualifier() == null ? "" : column.getQualifier() + ".";
    if (negated) {
      sql.appendSql("not ");
    }
    sql.appendSql("(");
    if (!prefix) {
      sql.appendSql(q + index.equalityColumn() + " in (");
      for (int i = 0; i < values.size(); i++) {
        Operand v = values.get(i);
        for (int slot = 0; slot < 2; slot++) {
          sql.appendSql(i + slot > 0 ? "," : "");
          param(walker, binary, equalityTag(v, slot));
        }
      }
      sql.appendSql(") and position(");
      walker.render(column, SqlAstNodeRenderingMode.DEFAULT);
      sql.appendSql(" in ");
      param(walker, binary, this::exactEquality);
      sql.appendSql(") > 0)");
      return;
    }
    sql.appendSql("(");
    for (int k = 1; k <= index.prefix(); k++) {
      int purpose = k;
      sql.appendSql(q + index.prefixColumn(k) + " in (");
      param(walker, binary, prefixTag(purpose, 0));
      sql.appendSql(",");
      param(walker, binary, prefixTag(purpose, 1));
      sql.appendSql(") or ");
    }
    sql.appendSql("(");
    param(walker, integer, this::everything);
    sql.appendSql(" = 1 and ");
    walker.render(column, SqlAstNodeRenderingMode.DEFAULT);
    sql.appendSql(" is not null)) and (");
    param(walker, integer, this::everything);
    sql.appendSql(" = 1 or position(");
    walker.render(column, SqlAstNodeRenderingMode.DEFAULT);
    sql.appendSql(" in ");
    param(walker, binary, this::exactPrefix);
    sql.appendSql(") > 0))");
  }

  private static void param(SqlAstTranslator<?> walker, JdbcMapping type, SearchParameter.Value value) {
    walker.render(new SearchParameter(type, value), SqlAstNodeRenderingMode.DEFAULT);
  }

  // ---- equality

  private SearchParameter.Value equalityTag(Operand v, int slot) {
    return (st, position, bindings, context) -> {
      Object value = v.value(index, bindings);
      BranchKeyRef ref = version(context, slot);
      SearchParameter.bindBytes(st, position, value == null || ref == null ? null
          : index.tag(ref, 0, index.input(value)));
    };
  }

  private void exactEquality(PreparedStatement st, int position, JdbcParameterBindings bindings,
      ExecutionContext context) throws SQLException {
    List<Object> searched = new ArrayList<>();
    List<byte[]> tags = new ArrayList<>();
    for (Operand v : values) {
      Object value = v.value(index, bindings);
      if (value != null) {
        searched.add(value);
        for (BranchKeyRef ref : versions(context)) {
          tags.add(index.tag(ref, 0, index.input(value)));
        }
      }
    }
    bindExact(st, position, index.exactRows(st.getConnection(), context.getSession(), 0, tags,
        stored -> searched.stream().anyMatch(s -> index.matches(stored, s))));
  }

  // ---- prefix

  /** The parsed pattern of this execution. */
  private Pattern pattern(JdbcParameterBindings bindings) {
    Object p = values.get(0).value(index, bindings);
    Object e = escape == null ? null : escape.value(index, bindings);
    if (p == null) {
      return null;
    }
    return Pattern.parse(index.attribute(), p.toString(), e == null ? null : e.toString().isEmpty() ? null
        : e.toString().charAt(0));
  }

  /** Index column used for a prefix: its own length, at most the declared maximum; 0 for none. */
  private int columnFor(Pattern p) {
    if (p == null || p.text().isEmpty()) {
      return 0;
    }
    String normalized = index.normalized(p.text());
    int length = normalized.codePointCount(0, normalized.length());
    return Math.min(length, index.prefix());
  }

  private SearchParameter.Value prefixTag(int purpose, int slot) {
    return (st, position, bindings, context) -> {
      Pattern p = pattern(bindings);
      byte[] tag = null;
      if (columnFor(p) == purpose) {
        BranchKeyRef ref = version(context, slot);
        String normalized = index.normalized(p.text());
        if (ref != null) {
          tag = index.tag(ref, purpose, SearchIndex.firstCodePoints(normalized, purpose).getBytes(StandardCharsets.UTF_8));
        }
      }
      SearchParameter.bindBytes(st, position, tag);
    };
  }

  private void everything(PreparedStatement st, int position, JdbcParameterBindings bindings,
      ExecutionContext context) throws SQLException {
    Pattern p = pattern(bindings);
    st.setInt(position, p != null && p.text().isEmpty() && p.wildcard() ? 1 : 0);
  }

  private void exactPrefix(PreparedStatement st, int position, JdbcParameterBindings bindings,
      ExecutionContext context) throws SQLException {
    Pattern p = pattern(bindings);
    int purpose = columnFor(p);
    if (purpose == 0) {
      bindExact(st, position, List.of());
      return;
    }
    String normalized = index.normalized(p.text());
    byte[] in = SearchIndex.firstCodePoints(normalized, purpose).getBytes(StandardCharsets.UTF_8);
    List<byte[]> tags = new ArrayList<>();
    for (BranchKeyRef ref : versions(context)) {
      tags.add(index.tag(ref, purpose, in));
    }
    bindExact(st, position, index.exactRows(st.getConnection(), context.getSession(), purpose, tags,
        stored -> p.wildcard() ? index.startsWith(stored, p.text()) : index.matches(stored, p.text())));
  }

  // ---- shared

  /**
   * The active index-key version (slot 0) or the one before (slot 1; the active one again when there is
   * none, so the statement never binds NULL in its in-list: PostgreSQL re-plans such a statement on every
   * execution, measured 17–20 µs per lookup on 1,000,000 rows).
   */
  private BranchKeyRef version(ExecutionContext context, int slot) {
    BranchKeyRef active = index.keys().active(index.indexKeyId(context.getSession()));
    if (slot == 0) {
      return active;
    }
    BranchKeyRef previous = index.keys().previous(active);
    return previous == null ? active : previous;
  }

  /** The distinct versions a search matches: the active one and, if readable, the one before. */
  private java.util.Set<BranchKeyRef> versions(ExecutionContext context) {
    return new java.util.LinkedHashSet<>(List.of(version(context, 0), version(context, 1)));
  }

  private void bindExact(PreparedStatement st, int position, List<Object> stored) throws SQLException {
    if (index.encrypted().form() == StorageForm.BINARY) {
      int length = 0;
      for (Object s : stored) {
        length += ((byte[]) s).length;
      }
      byte[] all = new byte[Math.max(1, length)];
      int at = 0;
      for (Object s : stored) {
        byte[] b = (byte[]) s;
        System.arraycopy(b, 0, all, at, b.length);
        at += b.length;
      }
      st.setBytes(position, all);
    } else {
      StringBuilder all = new StringBuilder();
      for (Object s : stored) {
        all.append((String) s).append('|');
      }
      st.setString(position, all.length() == 0 ? "|" : all.toString());
    }
  }

  /** A {@code like} pattern rowseal can answer: a literal prefix followed by {@code %}, or a literal. */
  record Pattern(String text, boolean wildcard) {
    static Pattern parse(EncryptedAttribute a, String pattern, Character escape) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (escape != null && c == escape && i + 1 < pattern.length()) {
          text.append(pattern.charAt(++i));
        } else if (c == '%') {
          for (int j = i; j < pattern.length(); j++) {
            if (pattern.charAt(j) != '%') {
              throw unsupported(a);
            }
          }
          return new Pattern(text.toString(), true);
        } else if (c == '_') {
          throw unsupported(a);
        } else {
          text.append(c);
        }
      }
      return new Pattern(text.toString(), false);
    }

    private static EncryptedQueryException unsupported(EncryptedAttribute a) {
      return new EncryptedQueryException("RS-4404", "query on " + a + " cannot be answered: its like pattern is "
          + "not a prefix search ('text%', escapes allowed); a blind index answers no % or _ inside or before the "
          + "text (docs/SEARCH.md)");
    }
  }

  @Override
  public String toString() {
    return "SearchPredicate(" + index.attribute() + (prefix ? ", prefix" : "") + ")";
  }
}
