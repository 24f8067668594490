package io.rowseal.hibernate;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.metamodel.mapping.JdbcMapping;
import org.hibernate.query.sqm.ComparisonOperator;
import org.hibernate.sql.ast.spi.AbstractSqlAstWalker;
import org.hibernate.sql.ast.tree.expression.ColumnReference;
import org.hibernate.sql.ast.tree.expression.Expression;
import org.hibernate.sql.ast.tree.expression.JdbcParameter;
import org.hibernate.sql.ast.tree.expression.QueryLiteral;
import org.hibernate.sql.ast.tree.from.TableGroup;
import org.hibernate.sql.ast.tree.from.TableGroupJoin;
import org.hibernate.sql.ast.tree.predicate.ComparisonPredicate;
import org.hibernate.sql.ast.tree.predicate.GroupedPredicate;
import org.hibernate.sql.ast.tree.predicate.InListPredicate;
import org.hibernate.sql.ast.tree.predicate.Junction;
import org.hibernate.sql.ast.tree.predicate.LikePredicate;
import org.hibernate.sql.ast.tree.predicate.NegatedPredicate;
import org.hibernate.sql.ast.tree.predicate.NullnessPredicate;
import org.hibernate.sql.ast.tree.predicate.Predicate;
import org.hibernate.sql.ast.tree.predicate.SelfRenderingPredicate;
import org.hibernate.sql.ast.tree.select.QuerySpec;
import org.hibernate.sql.ast.tree.select.SelectStatement;
import org.hibernate.sql.ast.tree.select.SortSpecification;
import org.hibernate.type.spi.TypeConfiguration;

/**
 * Rewrites a translated select statement so that comparisons on {@code @Searchable} attributes run on
 * their blind-index columns ({@link SearchPredicate}), and refuses, with an RS code before any SQL is sent,
 * every other use of an encrypted column in a condition or an ordering: a randomized column can be
 * selected and tested for {@code null}, nothing else. Runs once per query plan (Hibernate caches the
 * translation); the values are computed per execution by {@link SearchParameter}s.
 */
final class SearchRewrite {
  private static final Field WHERE = field(QuerySpec.class, "whereClauseRestrictions");
  private static final Field JOIN_PREDICATE = field(TableGroupJoin.class, "predicate");
  private static final Field RESTRICTION =
      field(org.hibernate.sql.ast.tree.AbstractUpdateOrDeleteStatement.class, "restriction");

  private final JdbcMapping binary;
  private final JdbcMapping integer;

  SearchRewrite(TypeConfiguration types) {
    this.binary = types.getBasicTypeForJavaType(byte[].class);
    this.integer = types.getBasicTypeForJavaType(Integer.class);
  }

  /** Rewrites a translated statement in place: a select, or the restriction of an update or delete. */
  void rewrite(org.hibernate.sql.ast.tree.Statement statement) {
    if (statement instanceof SelectStatement select) {
      rewrite(select);
    } else if (statement instanceof org.hibernate.sql.ast.tree.AbstractUpdateOrDeleteStatement mutation) {
      Predicate restriction = mutation.getRestriction();
      if (restriction != null) {
        Predicate rewritten = predicate(restriction);
        if (rewritten != restriction) {
          set(RESTRICTION, mutation, rewritten);
        }
        rewritten.accept(subqueries());
      }
    }
  }

  /** Rewrites every query part of {@code statement} in place. */
  void rewrite(SelectStatement statement) {
    subqueries().visitSelectStatement(statement);
  }

  /** A walker that rewrites every query part it meets. */
  private AbstractSqlAstWalker subqueries() {
    return new AbstractSqlAstWalker() {
      @Override
      public void visitQuerySpec(QuerySpec spec) {
        Predicate where = spec.getWhereClauseRestrictions();
        if (where != null) {
          Predicate rewritten = predicate(where);
          if (rewritten != where) {
            set(WHERE, spec, rewritten);
          }
        }
        Predicate having = spec.getHavingClauseRestrictions();
        if (having != null) {
          spec.setHavingClauseRestrictions(predicate(having));
        }
        for (TableGroup root : spec.getFromClause().getRoots()) {
          joins(root);
        }
        if (spec.getSortSpecifications() != null) {
          for (SortSpecification sort : spec.getSortSpecifications()) {
            refuseIn(sort.getSortExpression(), "order by");
          }
        }
        super.visitQuerySpec(spec);
      }
    };
  }

  private void joins(TableGroup group) {
    for (TableGroupJoin join : group.getTableGroupJoins()) {
      Predicate on = join.getPredicate();
      if (on != null) {
        Predicate rewritten = predicate(on);
        if (rewritten != on) {
          set(JOIN_PREDICATE, join, rewritten);
        }
      }
      joins(join.getJoinedGroup());
    }
    for (TableGroupJoin join : group.getNestedTableGroupJoins()) {
      joins(join.getJoinedGroup());
    }
  }

  /** {@code p} with its searches rewritten (the same object where nothing changed). */
  Predicate predicate(Predicate p) {
    if (p instanceof Junction j) {
      List<Predicate> parts = j.getPredicates();
      for (int i = 0; i < parts.size(); i++) {
        parts.set(i, predicate(parts.get(i)));
      }
      return j;
    }
    if (p instanceof NegatedPredicate n) {
      Predicate inner = predicate(n.getPredicate());
      return inner == n.getPredicate() ? n : new NegatedPredicate(inner);
    }
    if (p instanceof GroupedPredicate g) {
      Predicate inner = predicate(g.getSubPredicate());
      return inner == g.getSubPredicate() ? g : new GroupedPredicate(inner);
    }
    if (p instanceof ComparisonPredicate c) {
      return comparison(c);
    }
    if (p instanceof InListPredicate in) {
      return inList(in);
    }
    if (p instanceof LikePredicate like) {
      return like(like);
    }
    if (p instanceof NullnessPredicate) {
      return p; // nullness is visible: null stays SQL NULL
    }
    refuseIn(p, "this condition");
    return p;
  }

  private Predicate comparison(ComparisonPredicate c) {
    ColumnReference left = encrypted(c.getLeftHandExpression());
    ColumnReference right = encrypted(c.getRightHandExpression());
    if (left == null && right == null) {
      refuseIn(c, "this comparison");
      return c;
    }
    if (left != null && right != null) {
      throw refused(attribute(left), "compared with another column; a blind index compares a column with values only");
    }
    ColumnReference column = left != null ? left : right;
    Expression other = left != null ? c.getRightHandExpression() : c.getLeftHandExpression();
    ComparisonOperator op = c.getOperator();
    if (op != ComparisonOperator.EQUAL && op != ComparisonOperator.NOT_EQUAL) {
      throw refused(attribute(column), "compared with " + op.sqlText() + "; a blind index answers = and <> only, "
          + "never a range");
    }
    SearchIndex index = searchable(column, "=");
    return search(SearchPredicate.equality(index, column, List.of(operand(index, other)), op == ComparisonOperator.NOT_EQUAL,
        binary, integer));
  }

  private Predicate inList(InListPredicate in) {
    ColumnReference column = encrypted(in.getTestExpression());
    if (column == null) {
      refuseIn(in, "this condition");
      return in;
    }
    SearchIndex index = searchable(column, "in");
    List<SearchPredicate.Operand> values = new ArrayList<>();
    for (Expression e : in.getListExpressions()) {
      values.add(operand(index, e));
    }
    return search(SearchPredicate.equality(index, column, values, in.isNegated(), binary, integer));
  }

  private Predicate like(LikePredicate like) {
    ColumnReference column = encrypted(like.getMatchExpression());
    if (column == null) {
      refuseIn(like, "this condition");
      return like;
    }
    SearchIndex index = searchable(column, "like");
    if (index.prefix() == 0) {
      throw refused(attribute(column), "searched with like, but it is @Searchable for equality only; declare "
          + "@Searchable(prefix = n) to answer like 'x%'");
    }
    if (!like.isCaseSensitive() && !index.lowerCase()) {
      throw refused(attribute(column), "searched with ilike, but its index is case-sensitive; declare "
          + "@Searchable(normalize = LOWER_CASE)");
    }
    SearchPredicate.Operand escape = like.getEscapeCharacter() == null ? null : operand(index, like.getEscapeCharacter());
    return search(SearchPredicate.prefix(index, column, operand(index, like.getPattern()), escape, like.isNegated(),
        binary, integer));
  }

  private static Predicate search(SearchPredicate p) {
    return new SelfRenderingPredicate(p);
  }

  private static SearchPredicate.Operand operand(SearchIndex index, Expression e) {
    if (e instanceof org.hibernate.query.sqm.sql.internal.SqmParameterInterpretation interpretation) {
      e = interpretation.getResolvedExpression();
    }
    if (e instanceof org.hibernate.sql.ast.tree.expression.SqlTuple tuple && tuple.getExpressions().size() == 1) {
      e = tuple.getExpressions().get(0);
    }
    if (e instanceof JdbcParameter p) {
      return new SearchPredicate.Operand(p, null);
    }
    if (e instanceof QueryLiteral<?> l) {
      return new SearchPredicate.Operand(null, l.getLiteralValue());
    }
    throw refused(index.attribute(), "compared with an expression; a blind index compares with a parameter or a "
        + "literal only");
  }

  private static SearchIndex searchable(ColumnReference column, String how) {
    EncryptedJdbcType type = encryptedType(column);
    SearchIndex index = type.search();
    if (index == null) {
      throw new EncryptedQueryException("RS-4405", type.attribute() + " is @Encrypted and not searchable, so a "
          + "query cannot compare it (" + how + "): its values are randomized and never equal a searched value. "
          + "Declare it @Searchable (docs/SEARCH.md), or query by another attribute");
    }
    return index;
  }

  /** The encrypted column {@code e} stands for, or {@code null}. */
  static ColumnReference encrypted(Expression e) {
    if (e == null) {
      return null;
    }
    ColumnReference c = e instanceof ColumnReference r ? r : e.getColumnReference();
    return c != null && encryptedType(c) != null ? c : null;
  }

  static EncryptedJdbcType encryptedType(ColumnReference c) {
    JdbcMapping m = c.getJdbcMapping();
    return m != null && m.getJdbcType() instanceof EncryptedJdbcType t ? t : null;
  }

  private static EncryptedAttribute attribute(ColumnReference c) {
    return encryptedType(c).attribute();
  }

  /** Refuses {@code node} if an encrypted column occurs anywhere in it. */
  private static void refuseIn(org.hibernate.sql.ast.tree.SqlAstNode node, String where) {
    if (node == null) {
      return;
    }
    node.accept(new AbstractSqlAstWalker() {
      @Override
      public void visitQuerySpec(QuerySpec subquery) {
        // a subquery is rewritten and checked as a query part of its own
      }

      @Override
      public void visitColumnReference(ColumnReference c) {
        EncryptedJdbcType t = encryptedType(c);
        if (t != null) {
          throw refused(t.attribute(), "used in " + where + " (a function, a range, an ordering or another "
              + "condition on the column); an encrypted column can only be selected, tested for null"
              + (t.search() != null ? ", or searched with =, <>, in" + (t.search().prefix() > 0 ? " and like 'x%'" : "")
              : ""));
        }
      }
    });
  }

  static EncryptedQueryException refused(EncryptedAttribute a, String why) {
    return new EncryptedQueryException("RS-4403", "query on " + a + " cannot be answered: it is " + why
        + " (docs/SEARCH.md)");
  }

  private static Field field(Class<?> type, String name) {
    try {
      Field f = type.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError("rowseal cannot rewrite queries on this Hibernate: " + type.getName()
          + "." + name + " is missing (" + e + ")");
    }
  }

  private static void set(Field f, Object target, Object value) {
    try {
      f.set(target, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
