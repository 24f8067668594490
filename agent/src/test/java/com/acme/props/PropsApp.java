package com.acme.props;

import jakarta.persistence.PersistenceConfiguration;

/** Boots Hibernate on {@link Product}, which uses property access. */
public final class PropsApp {

  public static void main(String[] args) {
    new PersistenceConfiguration("props")
        .provider("org.hibernate.jpa.HibernatePersistenceProvider")
        .managedClass(Product.class)
        .property(PersistenceConfiguration.JDBC_URL, "jdbc:h2:mem:props")
        .property(PersistenceConfiguration.JDBC_USER, "sa")
        .property(PersistenceConfiguration.SCHEMAGEN_DATABASE_ACTION, "drop-and-create")
        .createEntityManagerFactory()
        .close();
    System.out.println("STARTED");
  }

  private PropsApp() {}
}
