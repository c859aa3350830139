package dev.failurelab.cli;

import dev.failurelab.contract.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads "500ms", "30s", "2m" (and a bare number as seconds), as vegeta and hey users type them. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration like 500ms, 30s or 2m"));
    }
}
