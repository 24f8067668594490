package io.rowseal.demo;

/** The {@code --help} texts. */
final class Help {
  private static final String JAR = "demo-app/target/rowseal-demo.jar";
  /** The agent's jar as the agent module builds it, named with the version (docs/AGENT.md). */
  static final String AGENT_JAR = "agent/target/rowseal-agent-" + version() + ".jar";

  private Help() {}

  static String program() {
    StringBuilder s = new StringBuilder()
        .append("rowseal-demo: row-by-row envelope encryption of JPA columns, on H2 + HikariCP + Hibernate\n\n")
        .append("usage: java -jar ").append(JAR).append(" [command] [--stacktrace]\n")
        .append("       java -javaagent:").append(AGENT_JAR).append("=config=demo-app/agent.properties \\\n")
        .append("            -jar ").append(JAR).append(" [command]                  (agent mode)\n\n")
        .append("commands:\n");
    for (Command c : Command.values()) {
      s.append(String.format("  %-8s  %s%n", c.commandName(), c.summary()));
    }
    return s.append("\noptions:\n")
        .append("  --help        this text; after a command, that command's help\n")
        .append("  --stacktrace  on failure, also print the stack trace\n\n")
        .append("Library mode encrypts the @Encrypted fields of io.rowseal.demo.annotated. Agent mode (the\n")
        .append("JVM runs the rowseal agent) encrypts the un-annotated entities of io.rowseal.demo.plain, as\n")
        .append("named in demo-app/agent.properties. Both keep the customers, the wrapped keys and the\n")
        .append("LocalKms tables in ./demo-data, and the HSM key pairs in ./.rowseal/localkms.p12 (the\n")
        .append("development keystore: it protects nothing). Run from the repository root.\n\n")
        .append("Exit status: 0 on success; 1 on failure, with one line \"rowseal-demo: <message>\"; 2 on a\n")
        .append("usage error.\n")
        .toString();
  }

  /** This build's version, from the jar's manifest (both modules share it). */
  private static String version() {
    String v = Help.class.getPackage().getImplementationVersion();
    return v == null ? "<version>" : v;
  }

  static String command(Command c) {
    return "usage: java -jar " + JAR + " " + c.commandName() + " [--stacktrace]\n\n"
        + Character.toUpperCase(c.summary().charAt(0)) + c.summary().substring(1) + ".\n\n" + c.details() + "\n";
  }
}
