package io.rowseal.agent.internal;

import io.rowseal.agent.bootstrap.AgentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .properties} file read with the syntax of {@link java.util.Properties#load(java.io.Reader)}
 * (comments, {@code = : whitespace} separators, continuation lines, escapes), in UTF-8, but keeping what
 * {@code Properties} throws away: the line of every entry, for error messages, and duplicate keys,
 * which are an error here instead of "the last one wins".
 */
final class PropertiesFile {

  /** One entry; {@code line} is the first physical line of its logical line. */
  record Entry(String key, String value, int line) {}

  private final Path path;
  private final Map<String, Entry> entries;

  private PropertiesFile(Path path, Map<String, Entry> entries) {
    this.path = path;
    this.entries = entries;
  }

  static PropertiesFile read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new AgentException("RS-6002 the rowseal agent configuration " + path.toAbsolutePath()
          + " does not exist");
    } catch (IOException e) {
      throw new AgentException("RS-6002 cannot read the rowseal agent configuration "
          + path.toAbsolutePath() + ": " + e, e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AgentException("RS-6003 " + path + ": the file is not valid UTF-8");
    }
    return parse(path, text);
  }

  static PropertiesFile parse(Path path, String text) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String first = stripLeading(lines[i]);
      if (first.isEmpty() || first.charAt(0) == '#' || first.charAt(0) == '!') {
        continue;
      }
      int startLine = i + 1;
      StringBuilder logical = new StringBuilder();
      String current = first;
      while (endsWithContinuation(current)) {
        logical.append(current, 0, current.length() - 1);
        if (i + 1 >= lines.length) {
          throw new AgentException("RS-6003 " + path + ":" + startLine
              + ": the line ends with a continuation backslash but the file ends there");
        }
        current = stripLeading(lines[++i]);
      }
      logical.append(current);
      Entry entry = entry(path, logical.toString(), startLine);
      Entry previous = entries.putIfAbsent(entry.key(), entry);
      if (previous != null) {
        throw new AgentException("RS-6004 " + path + ":" + startLine + ": the key '" + entry.key()
            + "' is already set at line " + previous.line());
      }
    }
    return new PropertiesFile(path, entries);
  }

  Path path() {
    return path;
  }

  List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /** {@code file:line}, for messages. */
  String at(Entry entry) {
    return path + ":" + entry.line();
  }

  private static Entry entry(Path path, String line, int lineNumber) {
    int i = 0;
    StringBuilder rawKey = new StringBuilder();
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        rawKey.append(c).append(line.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '=' || c == ':' || Character.isWhitespace(c)) {
        break;
      }
      rawKey.append(c);
      i++;
    }
    while (i < line.length() && isBlank(line.charAt(i))) {
      i++;
    }
    if (i < line.length() && (line.charAt(i) == '=' || line.charAt(i) == ':')) {
      i++;
    }
    while (i < line.length() && isBlank(line.charAt(i))) {
      i++;
    }
    String key = unescape(path, rawKey.toString(), lineNumber);
    String value = unescape(path, line.substring(i), lineNumber).strip();
    return new Entry(key, value, lineNumber);
  }

  private static String unescape(Path path, String raw, int line) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\' || i + 1 >= raw.length()) {
        out.append(c);
        continue;
      }
      char next = raw.charAt(++i);
      switch (next) {
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (i + 4 >= raw.length()) {
            throw new AgentException("RS-6003 " + path + ":" + line + ": malformed \\uXXXX escape");
          }
          String hex = raw.substring(i + 1, i + 5);
          try {
            out.append((char) Integer.parseInt(hex, 16));
          } catch (NumberFormatException e) {
            throw new AgentException("RS-6003 " + path + ":" + line + ": malformed \\uXXXX escape \\u" + hex);
          }
          i += 4;
        }
        default -> out.append(next);
      }
    }
    return out.toString();
  }

  private static boolean endsWithContinuation(String line) {
    int backslashes = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  private static String stripLeading(String line) {
    int i = 0;
    while (i < line.length() && isBlank(line.charAt(i))) {
      i++;
    }
    return line.substring(i);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\f';
  }
}
