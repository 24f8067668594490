package io.rowseal.agent.bootstrap;

/**
 * A failure the agent explains: the message starts with a stable {@code RS-6nnn} code (listed in
 * {@code docs/ERRORS.md}) and names the configuration file and line, the class, field or setting
 * concerned. It never carries a setting's value, since values may be secrets.
 *
 * <p>Lives in the bootstrap package so that the agent, the library defined next to Hibernate and the
 * application all see the same class.
 */
public final class AgentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
