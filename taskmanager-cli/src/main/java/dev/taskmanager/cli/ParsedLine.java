package dev.taskmanager.cli;

import java.util.Map;

/**
 * A checked command line, before it is given meaning: the subcommand (or {@code null} for the help
 * or version of the command itself), whether {@code --help} or {@code --version} was given (then
 * nothing else was checked), every option given with its value (flags map to {@code ""}) and the
 * positional parameter, or {@code null}. Immutable.
 *
 * @param <V> the command line's enum of subcommands
 */
record ParsedLine<V extends Verb>(V verb, boolean help, boolean version, Map<Option, String> values,
        String positional) {

    ParsedLine {
        values = Map.copyOf(values);
    }

    boolean has(Option option) {
        return values.containsKey(option);
    }

    /** The value given for {@code option}, or {@code null}. */
    String value(Option option) {
        return values.get(option);
    }
}
