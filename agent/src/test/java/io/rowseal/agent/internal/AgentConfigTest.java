package io.rowseal.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.agent.bootstrap.AgentException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private static final Path FILE = Path.of("conf/rowseal.properties");

  private static AgentConfig parse(String text) {
    return AgentConfig.from(PropertiesFile.parse(FILE, text));
  }

  @Test
  void from_fieldsContextsAndSettings_splitsThem() {
    AgentConfig config = parse("""
        # customer data
        encrypt.email = com.acme.Customer#email
        encrypt.email.context = Customer.email
        encrypt.2: com.acme.Customer#birthDate
        rowseal.agent.strict = true
        rowseal.cmk-id = alias/app
        """);

    assertThat(config.targets()).extracting(Target::id, Target::context, Target::origin).containsExactly(
        org.assertj.core.groups.Tuple.tuple("com.acme.Customer#email", "Customer.email", FILE + ":2"),
        org.assertj.core.groups.Tuple.tuple("com.acme.Customer#birthDate", "", FILE + ":4"));
    assertThat(config.strict()).isTrue();
    assertThat(config.hibernateSettings()).containsExactly(java.util.Map.entry("rowseal.cmk-id", "alias/app"));
  }

  @Test
  void from_continuationLinesAndEscapes_followPropertiesSyntax() {
    AgentConfig config = parse("""
        encrypt.a = com.acme.\\
                    Customer#email
        encrypt.a.context = Customer\\u002eemail
        """);

    assertThat(config.targets()).singleElement().satisfies(target -> {
      assertThat(target.id()).isEqualTo("com.acme.Customer#email");
      assertThat(target.context()).isEqualTo("Customer.email");
      assertThat(target.origin()).isEqualTo(FILE + ":1");
    });
  }

  @Test
  void from_nestedClass_isAccepted() {
    assertThat(parse("encrypt.1=com.acme.Outer$Inner#secret").targets().get(0).className())
        .isEqualTo("com.acme.Outer$Inner");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      missing #field            | encrypt.1=com.acme.Customer                         | 2 | is not of the form fully.qualified.Class#field
      two #                     | encrypt.1=com.acme.Customer#a#b                     | 2 | is not of the form fully.qualified.Class#field
      unqualified class         | encrypt.1=Customer#email                            | 2 | is not a fully qualified class name
      bad field name            | encrypt.1=com.acme.Customer#e-mail                  | 2 | 'e-mail' is not a field name
      bad entry name            | encrypt.a.b=com.acme.Customer#email                 | 2 | is not of the form encrypt.<name>
      unknown key               | encrpyt.1=com.acme.Customer#email                   | 2 | unknown key 'encrpyt.1'
      unknown agent setting     | rowseal.agent.strcit=true                           | 2 | unknown agent setting 'rowseal.agent.strcit'
      strict not boolean        | rowseal.agent.strict=yes                            | 2 | must be true or false
      empty setting             | rowseal.cmk-id=                                     | 2 | has no value
      context without field     | encrypt.9.context=Customer.email                    | 2 | 'encrypt.9.context' has no field
      empty context             | encrypt.1.context=                                  | 2 | is empty
      buckets without field     | encrypt.9.length-buckets=16,64                      | 2 | 'encrypt.9.length-buckets' has no field
      buckets descending        | encrypt.1.length-buckets=64,16                      | 2 | strictly ascending byte lengths separated by commas, such as 16,64,256; got '64,16'
      buckets not numbers       | encrypt.1.length-buckets=small                      | 2 | got 'small'
      duplicate key             | encrypt.0=com.acme.Customer#email                   | 2 | already set at line 1
      unknown option            | encrypt.0.serchable=equality                        | 2 | <option> one of context, length-buckets, searchable, search-prefix
      searchable without field  | encrypt.9.searchable=equality                       | 2 | 'encrypt.9.searchable' has no field
      searchable unknown        | encrypt.0.searchable=range                          | 2 | must be equality or prefix, got 'range'
      search option alone       | encrypt.0.search-bits=16                            | 2 | 'encrypt.0.search-bits' needs encrypt.0.searchable = equality or prefix
      prefix without length     | encrypt.0.searchable=prefix                         | 2 | needs encrypt.0.search-prefix = <longest indexed prefix, 1 to 16>
      duplicate target          | encrypt.x=com.acme.Customer#email                   | 2 | com.acme.Customer#email is already configured at conf/rowseal.properties:1
      """)
  void from_malformedLine_namesFileAndLine(String what, String line, int lineNumber, String message) {
    String first = what.equals("empty context") || what.startsWith("buckets d") || what.startsWith("buckets n")
        ? "encrypt.1" : "encrypt.0";
    String text = first + " = com.acme.Customer#email\n" + line + "\n";

    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(AgentException.class)
        .hasMessageStartingWith("RS-600")
        .hasMessageContaining(FILE + ":" + lineNumber)
        .hasMessageContaining(message);
  }

  @Test
  void from_lengthBuckets_areParsedPerField() {
    AgentConfig config = parse("encrypt.1 = com.acme.Customer#email\nencrypt.1.length-buckets = 16, 64,256\n"
        + "encrypt.2 = com.acme.Customer#name\n");

    assertThat(config.targets().get(0).lengthBuckets()).containsExactly(16, 64, 256);
    assertThat(config.targets().get(1).lengthBuckets()).isEmpty();
  }

  @Test
  void from_searchOptions_becomeTheSearchableValues() {
    AgentConfig config = parse("""
        encrypt.email = com.acme.Customer#email
        encrypt.email.searchable = equality
        encrypt.email.search-normalize = trim, lower-case,nfc
        encrypt.email.search-unique = true
        encrypt.email.search-column = email_idx
        encrypt.last = com.acme.Customer#lastName
        encrypt.last.search-prefix = 3
        encrypt.last.searchable = prefix
        encrypt.last.search-bits = 12
        encrypt.last.search-distinct-values = 50000
        encrypt.plain = com.acme.Customer#note
        """);

    assertThat(config.targets()).extracting(Target::search).containsExactly(
        new Target.Search(0, List.of("TRIM", "LOWER_CASE", "NFC"), true, 0, 0, "email_idx"),
        new Target.Search(3, List.of(), false, 12, 50_000, ""),
        null);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      prefix on equality        | searchable=equality | search-prefix=2            | needs encrypt.1.searchable = prefix, not equality
      prefix zero               | searchable=prefix   | search-prefix=0            | takes a whole number from 1 to 16, got '0'
      prefix too long           | searchable=prefix   | search-prefix=17           | takes a whole number from 1 to 16, got '17'
      bits too few              | searchable=equality | search-bits=7              | takes a whole number from 8 to 256, got '7'
      bits not a number         | searchable=equality | search-bits=many           | got 'many'
      distinct zero             | searchable=equality | search-distinct-values=0   | takes a whole number from 1 up, got '0'
      unknown normalization     | searchable=equality | search-normalize=upper-case | takes distinct normalizations among trim, lower-case, nfc
      repeated normalization    | searchable=equality | search-normalize=trim,trim | got 'trim,trim'
      unique not boolean        | searchable=equality | search-unique=yes          | must be true or false
      bad column                | searchable=equality | search-column=email-idx    | takes a column name (letters, digits, '_'), got 'email-idx'
      """)
  void from_malformedSearchOption_namesItsLine(String what, String searchable, String option, String message) {
    String text = "encrypt.1 = com.acme.Customer#email\nencrypt.1." + searchable + "\nencrypt.1." + option + "\n";

    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(AgentException.class)
        .hasMessageStartingWith("RS-6004 " + FILE + ":3: ")
        .hasMessageContaining(message);
  }

  @Test
  void from_uniqueWithSizing_isRefusedAsHavingNoEffect() {
    assertThatThrownBy(() -> parse("""
        encrypt.1 = com.acme.Customer#email
        encrypt.1.searchable = equality
        encrypt.1.search-unique = true
        encrypt.1.search-bits = 16
        """))
        .isInstanceOf(AgentException.class)
        .hasMessage("RS-6004 " + FILE + ":4: 'encrypt.1.search-bits' has no effect with encrypt.1.search-unique = true,"
            + " whose index is always 256 bits: remove one of them");
  }

  @Test
  void from_noField_refusesWithExample() {
    assertThatThrownBy(() -> parse("rowseal.cmk-id = x\n"))
        .hasMessageStartingWith("RS-6004 " + FILE)
        .hasMessageContaining("configures no field to encrypt");
  }

  @Test
  void parse_badUnicodeEscape_namesLine() {
    assertThatThrownBy(() -> parse("\n\nencrypt.1 = com.acme.C#f\\u12"))
        .hasMessage("RS-6003 " + FILE + ":3: malformed \\uXXXX escape");
  }

  @Test
  void parse_continuationAtEndOfFile_namesLine() {
    assertThatThrownBy(() -> parse("encrypt.1 = com.acme.C#f\\"))
        .hasMessageStartingWith("RS-6003 " + FILE + ":1:");
  }

  @Test
  void load_missingFile_namesIt() {
    assertThatThrownBy(() -> AgentConfig.load(Path.of("no/such/rowseal.properties")))
        .hasMessageStartingWith("RS-6002 ")
        .hasMessageContaining("rowseal.properties does not exist");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ''                                  | needs a configuration file
      file=x                              | unknown agent option 'file'
      config=                             | has no value
      config=a,config=b                   | is given twice
      """)
  void parseArguments_invalid_explainsUsage(String arguments, String message) {
    assertThatThrownBy(() -> AgentArguments.parse(arguments))
        .hasMessageStartingWith("RS-6001 ")
        .hasMessageContaining(message);
  }

  @Test
  void parseArguments_config_isThePath() {
    assertThat(AgentArguments.parse("config=/etc/app/rowseal.properties").config())
        .isEqualTo(Path.of("/etc/app/rowseal.properties"));
  }
}
