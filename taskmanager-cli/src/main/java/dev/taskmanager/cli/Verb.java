package dev.taskmanager.cli;

import java.util.List;

/**
 * A subcommand as the {@link ArgumentParser} sees it: its word, its positional parameter, the
 * options it takes beyond the command line's common ones, and those it cannot do without.
 * Implemented by the enums of subcommands ({@link Subcommand} for {@code tasks},
 * {@link FilesCli.Operation} for {@code files}).
 */
interface Verb {

    /** The word typed on the command line. */
    String command();

    /** Its positional parameter, or {@code null} if it takes none. */
    Positional positional();

    /** Its own options, in help order (not the command line's common ones). */
    List<Option> options();

    /** Options that must be given (after the positional, a missing one exits 1). */
    default List<Option> required() {
        return List.of();
    }

    /**
     * The line of help for {@code option} when this subcommand takes it: the option's own
     * description, unless the subcommand gives the option a meaning of its own.
     */
    default String describe(Option option) {
        return option.description();
    }

    /**
     * A positional parameter: the name it is reported by when missing, the option it stands for
     * ({@code status X} is {@code status --id X}, so a second one is a repeated option), or
     * {@code null} when it has no named form (then a second one is one too many), and whether it
     * is required.
     */
    record Positional(String name, Option named, boolean required) {

        /** The positional form of {@code option}, named after it. */
        static Positional of(Option option, boolean required) {
            return new Positional(option.parameterName(), option, required);
        }
    }
}
