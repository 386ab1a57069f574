package io.redial.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every duration the CLI reads: a bare number is seconds (as for {@code sleep} and
 * {@code timeout}); else numbers with units, {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h},
 * {@code 1m30s}.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,7}");
  private static final Pattern PART = Pattern.compile("([0-9]{1,7})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (SECONDS.matcher(v).matches()) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    Matcher m = PART.matcher(v);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < v.length() && m.find(at) && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      at = m.end();
    }
    if (v.isEmpty() || at != v.length()) {
      throw new TypeConversionException("'" + Terminal.sanitize(value, RedialCommand.MAX_ECHO)
          + "' is not a duration; allowed: a number of seconds, or numbers with a unit ms, s, m"
          + " or h, e.g. 10, 10s, 1m30s");
    }
    return total;
  }
}
