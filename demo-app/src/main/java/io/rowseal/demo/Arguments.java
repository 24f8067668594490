package io.rowseal.demo;

/**
 * The checked command line: {@code [command] [--help] [--stacktrace]}, options before or after the
 * command.
 *
 * @param named the subcommand given, or {@code null}
 * @param help print help (of {@code named}, or of the whole program) instead of running
 * @param stacktrace on failure, print the stack trace after the one-line message
 */
record Arguments(Command named, boolean help, boolean stacktrace) {

  /** Thrown for a command line the demo does not understand; the message is the whole explanation. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static Arguments parse(String... args) throws UsageException {
    Command command = null;
    boolean help = false;
    boolean stacktrace = false;
    for (String arg : args) {
      switch (arg) {
        case "-h", "--help", "help" -> help = true;
        case "--stacktrace" -> stacktrace = true;
        default -> {
          if (arg.startsWith("-")) {
            throw new UsageException("unknown option '" + arg + "' (options: --help, --stacktrace)");
          }
          if (command != null) {
            throw new UsageException("one command at a time, got '" + command.commandName() + "' and '"
                + arg + "'");
          }
          command = Command.named(arg).orElseThrow(() -> new UsageException("unknown command '" + arg
              + "' (commands: " + Command.names() + "; see --help)"));
        }
      }
    }
    return new Arguments(command, help, stacktrace);
  }

  /** The command to run: the one given, else {@link Command#RUN_ALL}. */
  Command command() {
    return named == null ? Command.RUN_ALL : named;
  }
}
