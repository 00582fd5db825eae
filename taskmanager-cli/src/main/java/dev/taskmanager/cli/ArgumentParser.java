package dev.taskmanager.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a command line ({@code tasks <subcommand> ...}, {@code files <subcommand> ...}) into a
 * {@link ParsedLine}, failing with nodetool's messages and exit codes (SPEC §14.2). One parser for
 * both command lines: each is described by a {@link Grammar}, so adding a subcommand or an option
 * is a constant in an enum, not parsing code.
 *
 * <p>The grammar, as in nodetool (boost::program_options behind its {@code massage_argv}):
 * <ul>
 *   <li>the first word that is neither an option nor an option's value must be the command
 *       ({@code tasks}), the second the subcommand; options, including {@code -h/--host} and
 *       {@code -p/--port}, may appear anywhere, before or after either word;</li>
 *   <li>values follow their option ({@code --timeout 5}), or are attached: {@code --timeout=5},
 *       {@code -p10001}; a value may not start with {@code -} (that is taken as the next
 *       option), and {@code --} ends the options, so {@code status -- -odd-id} works;</li>
 *   <li>every word after the subcommand that is not an option is its positional parameter (the id
 *       or module); a second one is a repeated option ({@code --id} given twice) when the
 *       parameter has a named form, and one too many when it has not ({@code files}' path);</li>
 *   <li>an option given twice is an error, except the few that are
 *       {@linkplain Option#repeatable() repeatable} ({@code find --state a --state b});</li>
 *   <li>{@code --help} and {@code --version}, spelled exactly, win over every error except an
 *       unknown command or subcommand ({@code --help=x} is an unknown option).</li>
 * </ul>
 * Order of checks, hence of exit codes: the command, then the subcommand (100); then, each in
 * order of appearance, (2) an unknown, valueless, value-carrying flag or repeated option, then an
 * option the subcommand does not take, then a positional too many, then a value of the wrong
 * kind; then (1) a missing positional, then a missing required option.
 *
 * <p><b>Why by hand and not with picocli.</b> Measured on the 2-core build machine (JDK 17, the
 * launcher's {@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}),
 * {@code hyperfine -N --warmup 3 --runs 20} of the whole {@code tasks modules} against a running
 * server, before jackson-core replaced the JSON reader: 106 ms with this parser; 158 ms with the
 * same grammar declared in front of it through picocli 4.7.7's programmatic {@code CommandSpec}
 * API; 215 ms with picocli's annotations (above the 200 ms budget). Start-up aside, picocli cannot keep the
 * syntax: options belong to the (sub)command they follow, so {@code tasks -q wait ID} is
 * {@code Unknown option: '-q'}; {@code tasks --help wait} prints the help of {@code tasks}, not
 * of {@code wait}; {@code --set -1} takes {@code -1} as the value where nodetool reports a missing
 * argument; {@code --quiet=yes} is parsed as a boolean; a second id is
 * {@code Unmatched argument}; and every usage error exits 2, where unknown subcommands must exit
 * 100 and missing parameters 1. Getting there would mean declaring every option global and
 * checking them per subcommand afterwards, which is this class again, plus picocli's start-up.
 */
final class ArgumentParser {

    /** The {@code tasks} grammar, for tests and callers that want an {@link Invocation}. */
    static Invocation parse(String... args) {
        return new Invocation(parse(TasksCli.GRAMMAR, args));
    }

    private ArgumentParser() {
    }

    /**
     * Parses {@code args} against {@code grammar}.
     *
     * @throws CliException with exit code 1, 2 or 100 and the message to print on stderr
     */
    static <V extends Verb> ParsedLine<V> parse(Grammar<V> grammar, String... args) {
        List<Integer> words = new ArrayList<>();
        boolean[] helpAndVersion = locateWords(grammar, args, words);
        boolean help = helpAndVersion[0];
        boolean version = helpAndVersion[1];

        if (words.isEmpty() || !args[words.get(0)].equals(grammar.command())) {
            throw unknownOperation("'" + grammar.command() + "'",
                    words.isEmpty() ? null : args[words.get(0)]);
        }
        if (words.size() < 2) {
            if (help || version) {
                return new ParsedLine<>(null, help, version, Map.of(), null);
            }
            throw unknownOperation("one of (" + grammar.verbNames() + ")", null);
        }
        V verb = grammar.verb(args[words.get(1)]);
        if (verb == null) {
            throw unknownOperation("one of (" + grammar.verbNames() + ")", args[words.get(1)]);
        }
        if (help || version) {
            return new ParsedLine<>(verb, help, version, Map.of(), null);
        }
        return new Options<>(grammar, verb).parse(args, words.get(0), words.get(1));
    }

    /**
     * First pass: finds the indexes of the words that are not options nor option values (the
     * command, the subcommand, positionals), knowing only each option's arity, since which options
     * are allowed depends on the subcommand not found yet. Unknown options count as flags here;
     * the second pass reports them. Returns whether {@code --help} and {@code --version} were seen.
     */
    private static boolean[] locateWords(Grammar<?> grammar, String[] args, List<Integer> words) {
        boolean help = false;
        boolean version = false;
        boolean endOfOptions = false;
        for (int i = 0; i < args.length; i++) {
            String token = args[i];
            if (endOfOptions || !isOptionLike(token)) {
                words.add(i);
            } else if (token.equals("--")) {
                endOfOptions = true;
            } else if (token.equals(Option.HELP.longName())) {
                help = true;
            } else if (token.equals(Option.VERSION.longName())) {
                version = true;
            } else {
                Option option = grammar.option(token);
                if (option != null && option.takesValue() && i + 1 < args.length
                        && !isOptionLike(args[i + 1])) {
                    i++;
                }
            }
        }
        return new boolean[] {help, version};
    }

    /** Second pass: every option and positional, checked against one subcommand. */
    private static final class Options<V extends Verb> {
        private final Grammar<V> grammar;
        private final V verb;
        private final Map<Option, List<String>> values = new EnumMap<>(Option.class);
        private String unnamedPositional;
        // The first problem of each class, in order of appearance; reported by priority.
        private String malformed;
        private String notTaken;
        private String tooMany;
        private String invalid;

        Options(Grammar<V> grammar, V verb) {
            this.grammar = grammar;
            this.verb = verb;
        }

        ParsedLine<V> parse(String[] args, int commandIndex, int verbIndex) {
            boolean endOfOptions = false;
            for (int i = 0; i < args.length; i++) {
                if (i == commandIndex || i == verbIndex) {
                    continue;
                }
                String token = args[i];
                if (!endOfOptions && token.equals("--")) {
                    endOfOptions = true;
                } else if (endOfOptions || !isOptionLike(token)) {
                    positional(token);
                } else {
                    i = option(args, i);
                }
            }
            for (String problem : new String[] {malformed, notTaken, tooMany, invalid}) {
                if (problem != null) {
                    throw new CliException(CliException.BAD_ARGUMENTS, "error: " + problem);
                }
            }
            Verb.Positional positional = verb.positional();
            String given = positional == null ? null
                    : positional.named() != null ? first(values.get(positional.named()))
                    : unnamedPositional;
            if (positional != null && positional.required() && given == null) {
                throw missing(positional.name());
            }
            for (Option required : verb.required()) {
                if (!values.containsKey(required)) {
                    throw missing(required.parameterName());
                }
            }
            return new ParsedLine<>(verb, false, false, values, given);
        }

        private void positional(String word) {
            Verb.Positional positional = verb.positional();
            if (positional == null || (positional.named() == null && unnamedPositional != null)) {
                tooMany = first(tooMany,
                        "too many positional options have been specified on the command line");
            } else if (positional.named() != null) {
                put(positional.named(), word);
            } else {
                unnamedPositional = word;
            }
        }

        /** Reads the option at {@code args[i]} (and its value); returns the last index used. */
        private int option(String[] args, int i) {
            String token = args[i];
            String name = token;
            String attached = null;
            int eq = token.indexOf('=');
            if (token.startsWith("--") && eq > 2) {
                name = token.substring(0, eq);
                attached = token.substring(eq + 1);
            }
            Option option = grammar.option(name);
            if (option == null) {
                option = grammar.attachedShort(token);
                if (option != null) {
                    name = token.substring(0, 2);
                    attached = token.substring(2);
                }
            }
            if (option == null) {
                malformed = first(malformed, "unrecognised option '" + name + "'");
                return i;
            }

            String value;
            if (!option.takesValue()) {
                if (attached != null) {
                    malformed = first(malformed, "option '" + option.longName()
                            + "' does not take any arguments");
                    return i;
                }
                value = "";
            } else if (attached != null) {
                value = attached;
            } else if (i + 1 < args.length && !isOptionLike(args[i + 1])) {
                value = args[++i];
            } else {
                malformed = first(malformed, "the required argument for option '"
                        + option.longName() + "' is missing");
                return i;
            }
            if (!grammar.accepts(verb, option)) {
                notTaken = first(notTaken, "unrecognised option '" + name + "'");
            } else if (put(option, value) && !isValid(option, value)) {
                invalid = first(invalid, "the argument ('" + value + "') for option '"
                        + option.longName() + "' is invalid" + hint(option));
            }
            return i;
        }

        /**
         * Records a value; a second one is malformed unless the option is repeatable. Returns
         * whether the value was kept.
         */
        private boolean put(Option option, String value) {
            List<String> given = values.get(option);
            if (given == null) {
                values.put(option, new ArrayList<>(List.of(value)));
                return true;
            }
            if (option.repeatable()) {
                given.add(value);
                return true;
            }
            malformed = first(malformed, "option '" + option.longName()
                    + "' cannot be specified more than once");
            return false;
        }

        private static String first(String current, String problem) {
            return current != null ? current : problem;
        }

        private static String first(List<String> values) {
            return values == null ? null : values.get(0);
        }
    }

    /** Checks a value against its option's kind, as nodetool's typed options do. */
    private static boolean isValid(Option option, String value) {
        return switch (option.kind()) {
            case FLAG, TEXT -> true;
            case HOST -> isUsableHost(value);
            case PORT -> value.length() <= 5 && isDecimalUpTo(value, 65535)
                    && Long.parseLong(value) >= 1;
            case UINT32 -> isDecimalUpTo(value, 0xFFFF_FFFFL);
            case FORMAT -> OutputFormat.named(value) != null;
        };
    }

    private static String hint(Option option) {
        return option.kind() == Option.Kind.FORMAT ? " (expected text or json)" : "";
    }

    private static boolean isDecimalUpTo(String value, long max) {
        if (value.isEmpty() || value.length() > 10) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(value) <= max;
    }

    /** Whether {@code host} can stand in an {@code http://host:port/} URI. */
    static boolean isUsableHost(String host) {
        try {
            return new URI("http://" + RestClient.uriHost(host) + ":1/").getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** An option is a word starting with {@code -}, except {@code -} alone. */
    private static boolean isOptionLike(String token) {
        return token.length() > 1 && token.charAt(0) == '-';
    }

    private static CliException missing(String parameter) {
        return new CliException(CliException.MISSING_PARAMETER,
                "error processing arguments: required parameter is missing: " + parameter);
    }

    private static CliException unknownOperation(String expected, String got) {
        return new CliException(CliException.UNKNOWN_OPERATION,
                "error: unrecognized operation argument: expected " + expected + ", got "
                        + (got == null ? "nothing" : "'" + got + "'"));
    }
}
