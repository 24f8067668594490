package io.rowseal.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The command line: parsing, help, and one-line usage errors with status 2, all without starting the demo. */
class DemoArgumentsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void parse_noArguments_runsEverything() throws Exception {
    Arguments a = Arguments.parse();

    assertThat(a.command()).isEqualTo(Command.RUN_ALL);
    assertThat(a.named()).isNull();
    assertThat(a.help()).isFalse();
    assertThat(a.stacktrace()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Command.class)
  void parse_commandName_selectsThatCommand(Command command) throws Exception {
    assertThat(Arguments.parse(command.commandName()).command()).isEqualTo(command);
  }

  @Test
  void parse_optionsBeforeOrAfterTheCommand_areAccepted() throws Exception {
    assertThat(Arguments.parse("--stacktrace", "show")).isEqualTo(new Arguments(Command.SHOW, false, true));
    assertThat(Arguments.parse("tamper", "--help")).isEqualTo(new Arguments(Command.TAMPER, true, false));
  }

  @Test
  void parse_unknownCommand_namesItAndTheKnownOnes() {
    assertThatThrownBy(() -> Arguments.parse("frobnicate"))
        .isInstanceOf(Arguments.UsageException.class)
        .hasMessage("unknown command 'frobnicate' (commands: run-all, show, rotate, cost, tamper, migrate, "
            + "reset; see --help)");
  }

  @Test
  void parse_twoCommands_isRefused() {
    assertThatThrownBy(() -> Arguments.parse("show", "rotate"))
        .hasMessage("one command at a time, got 'show' and 'rotate'");
  }

  @Test
  void parse_unknownOption_isRefused() {
    assertThatThrownBy(() -> Arguments.parse("--data=x")).hasMessageStartingWith("unknown option '--data=x'");
  }

  @Test
  void run_usageError_printsOneLineAndReturnsTwo() {
    int status = Main.run(new String[] {"frobnicate"}, print(out), print(err));

    assertThat(status).isEqualTo(2);
    assertThat(text(out)).isEmpty();
    assertThat(text(err)).startsWith("rowseal-demo: unknown command 'frobnicate'").hasLineCount(1);
  }

  @Test
  void run_help_listsEveryCommandAndBothModes() {
    int status = Main.run(new String[] {"--help"}, print(out), print(err));

    assertThat(status).isZero();
    assertThat(text(err)).isEmpty();
    for (Command c : Command.values()) {
      assertThat(text(out)).contains("  " + c.commandName() + " ");
    }
    assertThat(text(out)).contains("java -jar demo-app/target/rowseal-demo.jar")
        .contains("-javaagent:agent/target/rowseal-agent-")
        .contains(".jar=config=demo-app/agent.properties");
  }

  @ParameterizedTest
  @EnumSource(Command.class)
  void run_commandHelp_describesThatCommand(Command command) {
    int status = Main.run(new String[] {command.commandName(), "--help"}, print(out), print(err));

    assertThat(status).isZero();
    assertThat(text(out)).startsWith("usage: java -jar demo-app/target/rowseal-demo.jar " + command.commandName())
        .contains(command.details());
  }

  private static PrintStream print(ByteArrayOutputStream buffer) {
    return new PrintStream(buffer, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream buffer) {
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
