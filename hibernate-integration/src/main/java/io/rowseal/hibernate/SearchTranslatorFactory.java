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
  @SuppressWarnings("unchecked")
  public SqmTranslator<SelectStatement> createSelectTranslator(SqmSelectStatement<?> sqmSelectStatement,
      QueryOptions queryOptions, DomainParameterXref domainParameterXref, QueryParameterBindings domainParameterBindings,
      LoadQueryInfluencers loadQueryInfluencers, SqlAstCreationContext creationContext,
      boolean deduplicateSelectionItems) {
    SqmTranslator<SelectStatement> standard = super.createSelectTranslator(sqmSelectStatement, queryOptions,
        domainParameterXref, domainParameterBindings, loadQueryInfluencers, creationContext,
        deduplicateSelectionItems);
    SearchRewrite rewrite = new SearchRewrite(creationContext.getSessionFactory().getTypeConfiguration());
    InvocationHandler handler = (proxy, method, args) -> {
      try {
        Object result = method.invoke(standard, args);
        if (method.getName().equals("translate") && method.getParameterCount() == 0) {
          rewrite.rewrite(((SqmTranslation<SelectStatement>) result).getSqlAst());
        }
        return result;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (SqmTranslator<SelectStatement>) Proxy.newProxyInstance(SearchTranslatorFactory.class.getClassLoader(),
        new Class<?>[] {SqmTranslator.class}, handler);
  }
}
