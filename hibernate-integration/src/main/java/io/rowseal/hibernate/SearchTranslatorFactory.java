package io.rowseal.hibernate;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.hibernate.engine.spi.LoadQueryInfluencers;
import org.hibernate.query.spi.QueryOptions;
import org.hibernate.query.spi.QueryParameterBindings;
import org.hibernate.query.sqm.internal.DomainParameterXref;
import org.hibernate.query.sqm.sql.SqmTranslation;
import org.hibernate.query.sqm.sql.SqmTranslator;
import org.hibernate.query.sqm.sql.StandardSqmTranslatorFactory;
import org.hibernate.query.sqm.tree.select.SqmSelectStatement;
import org.hibernate.sql.ast.spi.SqlAstCreationContext;
import org.hibernate.sql.ast.tree.select.SelectStatement;

/**
 * Hibernate's standard query translation, followed by rowseal's {@link SearchRewrite} of every select:
 * installed as {@code hibernate.query.sqm.translator} by {@link RowsealServiceContributor}. The translator
 * Hibernate returns is wrapped (a proxy of its interface), not subclassed, so no constructor of an internal
 * class is called and every supported line works alike.
 */
public class SearchTranslatorFactory extends StandardSqmTranslatorFactory {

  @Override
  public SqmTranslator<? extends org.hibernate.sql.ast.tree.MutationStatement> createMutationTranslator(
      org.hibernate.query.sqm.tree.SqmDmlStatement<?> sqmDmlStatement, QueryOptions queryOptions,
      DomainParameterXref domainParameterXref, QueryParameterBindings domainParameterBindings,
      LoadQueryInfluencers loadQueryInfluencers, SqlAstCreationContext creationContext) {
    return rewriting(super.createMutationTranslator(sqmDmlStatement, queryOptions, domainParameterXref,
        domainParameterBindings, loadQueryInfluencers, creationContext), creationContext);
  }

  /** Hibernate 6.6's translator of a single-table delete (7 uses {@link #createMutationTranslator}). */
  @SuppressWarnings("unchecked")
  public SqmTranslator<org.hibernate.sql.ast.tree.delete.DeleteStatement> createSimpleDeleteTranslator(
      org.hibernate.query.sqm.tree.delete.SqmDeleteStatement<?> sqmStatement, QueryOptions queryOptions,
      DomainParameterXref domainParameterXref, QueryParameterBindings domainParameterBindings,
      LoadQueryInfluencers loadQueryInfluencers, SqlAstCreationContext creationContext) {
    return rewriting((SqmTranslator<org.hibernate.sql.ast.tree.delete.DeleteStatement>) superCall(
        "createSimpleDeleteTranslator", sqmStatement, queryOptions, domainParameterXref, domainParameterBindings,
        loadQueryInfluencers, creationContext), creationContext);
  }

  /** Hibernate 6.6's translator of a single-table update (7 uses {@link #createMutationTranslator}). */
  @SuppressWarnings("unchecked")
  public SqmTranslator<org.hibernate.sql.ast.tree.update.UpdateStatement> createSimpleUpdateTranslator(
      org.hibernate.query.sqm.tree.update.SqmUpdateStatement<?> sqmStatement, QueryOptions queryOptions,
      DomainParameterXref domainParameterXref, QueryParameterBindings domainParameterBindings,
      LoadQueryInfluencers loadQueryInfluencers, SqlAstCreationContext creationContext) {
    return rewriting((SqmTranslator<org.hibernate.sql.ast.tree.update.UpdateStatement>) superCall(
        "createSimpleUpdateTranslator", sqmStatement, queryOptions, domainParameterXref, domainParameterBindings,
        loadQueryInfluencers, creationContext), creationContext);
  }

  /** Calls the standard factory's method of Hibernate 6.6 that 7 no longer has. */
  private Object superCall(String name, Object... args) {
    try {
      for (java.lang.reflect.Method m : StandardSqmTranslatorFactory.class.getMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == args.length) {
          return java.lang.invoke.MethodHandles.lookup().findSpecial(StandardSqmTranslatorFactory.class, name,
              java.lang.invoke.MethodType.methodType(m.getReturnType(), m.getParameterTypes()),
              SearchTranslatorFactory.class).bindTo(this).invokeWithArguments(args);
        }
      }
      throw new IllegalStateException("this Hibernate has no " + name);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public SqmTranslator<SelectStatement> createSelectTranslator(SqmSelectStatement<?> sqmSelectStatement,
      QueryOptions queryOptions, DomainParameterXref domainParameterXref, QueryParameterBindings domainParameterBindings,
      LoadQueryInfluencers loadQueryInfluencers, SqlAstCreationContext creationContext,
      boolean deduplicateSelectionItems) {
    return rewriting(super.createSelectTranslator(sqmSelectStatement, queryOptions, domainParameterXref,
        domainParameterBindings, loadQueryInfluencers, creationContext, deduplicateSelectionItems), creationContext);
  }

  /** {@code standard}, with {@link SearchRewrite} run on what its {@code translate()} returns. */
  @SuppressWarnings("unchecked")
  private static <T extends org.hibernate.sql.ast.tree.Statement> SqmTranslator<T> rewriting(
      SqmTranslator<T> standard, SqlAstCreationContext creationContext) {
    SearchRewrite rewrite = new SearchRewrite(creationContext.getSessionFactory().getTypeConfiguration());
    InvocationHandler handler = (proxy, method, args) -> {
      try {
        Object result = method.invoke(standard, args);
        if (method.getName().equals("translate") && method.getParameterCount() == 0) {
          rewrite.rewrite(((SqmTranslation<?>) result).getSqlAst());
        }
        return result;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (SqmTranslator<T>) Proxy.newProxyInstance(SearchTranslatorFactory.class.getClassLoader(),
        new Class<?>[] {SqmTranslator.class}, handler);
  }
}
