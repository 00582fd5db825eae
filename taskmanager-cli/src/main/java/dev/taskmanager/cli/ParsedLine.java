package dev.taskmanager.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked command line, before it is given meaning: the subcommand (or {@code null} for the help
 * or version of the command itself), whether {@code --help} or {@code --version} was given (then
 * nothing else was checked), every option given with its values in the order typed (flags map to
 * {@code [""]}; only a {@linkplain Option#repeatable() repeatable} option has more than one) and
 * the positional parameter, or {@code null}. Immutable.
 *
 * @param <V> the command line's enum of subcommands
 */
record ParsedLine<V extends Verb>(V verb, boolean help, boolean version,
        Map<Option, List<String>> values, String positional) {

    ParsedLine {
        Map<Option, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<Option, List<String>> given : values.entrySet()) { // no lambda: start-up
            copy.put(given.getKey(), List.copyOf(given.getValue()));
        }
        values = Map.copyOf(copy);
    }

    boolean has(Option option) {
        return values.containsKey(option);
    }

    /** The (first) value given for {@code option}, or {@code null}. */
    String value(Option option) {
        List<String> given = values.get(option);
        return given == null ? null : given.get(0);
    }

    /** Every value given for {@code option}, in order; empty when it was not given. */
    List<String> all(Option option) {
        return values.getOrDefault(option, List.of());
    }
}
