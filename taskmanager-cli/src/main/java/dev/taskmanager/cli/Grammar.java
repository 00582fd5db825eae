package dev.taskmanager.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one command line may contain: its command word ({@code tasks}, {@code files}), its
 * subcommands and the options every subcommand takes. Together with each {@link Verb}'s own
 * options this is the vocabulary the {@link ArgumentParser} knows; anything else is an unknown
 * option. Immutable.
 *
 * @param <V> the command line's enum of subcommands
 */
final class Grammar<V extends Verb> {

    private final String command;
    private final List<V> verbs;
    private final List<Option> common;
    private final List<Option> vocabulary;

    Grammar(String command, List<V> verbs, List<Option> common) {
        this.command = command;
        this.verbs = List.copyOf(verbs);
        this.common = List.copyOf(common);
        Set<Option> all = new LinkedHashSet<>(common);
        for (V v : verbs) {
            all.addAll(v.options());
            if (v.positional() != null && v.positional().named() != null) {
                all.add(v.positional().named());
            }
        }
        this.vocabulary = List.copyOf(all);
    }

    /** The first word: {@code tasks} or {@code files}. */
    String command() {
        return command;
    }

    /** The options every subcommand takes, in help order. */
    List<Option> common() {
        return common;
    }

    /**
     * The option spelled exactly {@code name} (long or short form), or {@code null}. {@code --help}
     * and {@code --version} are not looked up here: they are recognised only as whole words.
     */
    Option option(String name) {
        for (Option o : vocabulary) {
            if (o != Option.HELP && o != Option.VERSION && o.isNamed(name)) {
                return o;
            }
        }
        return null;
    }

    /**
     * The value option whose short form {@code token} starts with, for the attached form
     * {@code -p10001}; {@code null} if there is none.
     */
    Option attachedShort(String token) {
        if (token.length() <= 2 || token.startsWith("--")) {
            return null;
        }
        Option o = option(token.substring(0, 2));
        return o != null && o.takesValue() ? o : null;
    }

    /** Whether {@code verb} takes {@code option}. */
    boolean accepts(V verb, Option option) {
        return common.contains(option) || verb.options().contains(option)
                || (verb.positional() != null && verb.positional().named() == option);
    }

    /** The subcommand typed as {@code word}, or {@code null}. */
    V verb(String word) {
        for (V v : verbs) {
            if (v.command().equals(word)) {
                return v;
            }
        }
        return null;
    }

    /** The names of all subcommands, sorted and comma-separated, for error messages. */
    String verbNames() {
        return String.join(", ", verbs.stream().map(Verb::command).sorted().toList());
    }

    /** All options of {@code verb} in help order: its own, then the common ones. */
    List<Option> helpOptions(V verb) {
        List<Option> options = new ArrayList<>(verb.options());
        options.addAll(common);
        return options;
    }
}
