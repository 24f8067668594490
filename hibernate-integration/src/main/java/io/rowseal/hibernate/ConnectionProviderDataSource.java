package io.rowseal.hibernate;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;

/**
 * A Hibernate {@link ConnectionProvider} that does not expose a DataSource (such as the built-in
 * DriverManager pool), seen as one: {@code close()} on a connection hands it back to the provider.
 */
final class ConnectionProviderDataSource implements DataSource {
  private final ConnectionProvider provider;

  private ConnectionProviderDataSource(ConnectionProvider provider) {
    this.provider = provider;
  }

  static DataSource of(ConnectionProvider provider) {
    return new ConnectionProviderDataSource(provider);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection target = provider.getConnection();
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close") && method.getParameterCount() == 0) {
            provider.closeConnection(target);
            return null;
          }
          try {
            return method.invoke(target, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("Hibernate's connection provider takes no credentials");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
