package io.rowseal.agent.internal;

import io.rowseal.agent.bootstrap.AgentException;
import java.nio.file.Path;

/**
 * The agent's argument string, {@code -javaagent:rowseal-agent.jar=config=/path/rowseal.properties}: a
 * comma-separated list of {@code key=value} options, of which {@code config} (required) is the only one.
 * Everything else is configured in the file, where a mistake can be reported with its line.
 */
record AgentArguments(Path config) {

  static final String USAGE = "use -javaagent:rowseal-agent.jar=config=/path/to/rowseal.properties";

  static AgentArguments parse(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      throw new AgentException("RS-6001 the rowseal agent needs a configuration file: " + USAGE);
    }
    Path config = null;
    for (String option : arguments.split(",")) {
      int equals = option.indexOf('=');
      String key = equals < 0 ? option.trim() : option.substring(0, equals).trim();
      String value = equals < 0 ? "" : option.substring(equals + 1).trim();
      if (!key.equals("config")) {
        throw new AgentException("RS-6001 unknown agent option '" + key + "' in '" + arguments
            + "': the only option is config; " + USAGE);
      }
      if (config != null) {
        throw new AgentException("RS-6001 the agent option config is given twice in '" + arguments + "'");
      }
      if (value.isEmpty()) {
        throw new AgentException("RS-6001 the agent option config has no value: " + USAGE);
      }
      config = Path.of(value);
    }
    return new AgentArguments(config);
  }
}
