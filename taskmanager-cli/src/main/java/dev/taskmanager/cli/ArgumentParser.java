package dev.taskmanager.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a command line ({@code tasks <subcommand> ...}) into an {@link Invocation}, failing with
 * nodetool's messages and exit codes (SPEC §14.2).
 *
 * <p>Hand-rolled rather than built on an argument library because the contract is the messages
 * themselves. The grammar, as in nodetool (boost::program_options):
 * <ul>
 *   <li>the first word that is neither an option nor an option's value must be {@code tasks}, the
 *       second the subcommand; options, including {@code -h/--host} and {@code -p/--port}, may
 *       appear anywhere, before or after either word;</li>
 *   <li>values follow their option ({@code --timeout 5}), or are attached: {@code --timeout=5},
 *       {@code -p10001}; a value may not start with {@code -} (that is taken as the next
 *       option), and {@code --} ends the options, so {@code status -- -odd-id} works;</li>
 *   <li>every word after the subcommand that is not an option is its positional parameter (the id
 *       or module); a second one is a repeated option, like {@code --id} given twice;</li>
 *   <li>{@code --help} anywhere wins over every error except an unknown (sub)command.</li>
 * </ul>
 * Order of checks, hence of exit codes: unknown command or subcommand (100), then the options left
 * to right (2), then the missing id or module (1).
 */
final class ArgumentParser {

    private ArgumentParser() {
    }

    /**
     * Parses {@code args}.
     *
     * @throws CliException with exit code 1, 2 or 100 and the message to print on stderr
     */
    static Invocation parse(String... args) {
        List<Integer> words = new ArrayList<>();
        boolean help = locateWords(args, words);

        if (words.isEmpty() || !args[words.get(0)].equals("tasks")) {
            throw unknownOperation("tasks", words.isEmpty() ? null : args[words.get(0)]);
        }
        if (words.size() < 2) {
            if (help) {
                return Invocation.help(null);
            }
            throw unknownOperation(Subcommand.names(), null);
        }
        Subcommand subcommand = Subcommand.named(args[words.get(1)]);
        if (subcommand == null) {
            throw unknownOperation(Subcommand.names(), args[words.get(1)]);
        }
        if (help) {
            return Invocation.help(subcommand);
        }

        Map<Option, String> values = parseOptions(args, words.get(0), words.get(1), subcommand);
        if (subcommand.positionalRequired() && !values.containsKey(subcommand.positional())) {
            throw new CliException(CliException.MISSING_PARAMETER,
                    "error processing arguments: required parameter is missing: "
                            + subcommand.positionalName());
        }
        String host = values.getOrDefault(Option.HOST, Invocation.DEFAULT_HOST);
        int port = values.containsKey(Option.PORT)
                ? Integer.parseInt(values.get(Option.PORT)) : Invocation.DEFAULT_PORT;
        return new Invocation(subcommand, false, host, port, values);
    }

    /**
     * First pass: finds the indexes of the words that are not options nor option values (the
     * command, the subcommand, positionals), knowing only each option's arity, since which options
     * are allowed depends on the subcommand not found yet. Unknown options count as flags here;
     * the second pass reports them. Returns whether {@code --help} was seen.
     */
    private static boolean locateWords(String[] args, List<Integer> words) {
        boolean help = false;
        boolean endOfOptions = false;
        for (int i = 0; i < args.length; i++) {
            String token = args[i];
            if (endOfOptions || !isOptionLike(token)) {
                words.add(i);
            } else if (token.equals("--")) {
                endOfOptions = true;
            } else if (token.equals(Option.HELP.longName())) {
                help = true;
            } else {
                Option option = Option.named(token);
                if (option != null && option.takesValue() && i + 1 < args.length
                        && !isOptionLike(args[i + 1])) {
                    i++;
                }
            }
        }
        return help;
    }

    /** Second pass: every option, checked against {@code subcommand}, left to right. */
    private static Map<Option, String> parseOptions(String[] args, int commandIndex,
            int subcommandIndex, Subcommand subcommand) {
        Map<Option, String> values = new EnumMap<>(Option.class);
        boolean endOfOptions = false;
        for (int i = 0; i < args.length; i++) {
            if (i == commandIndex || i == subcommandIndex) {
                continue;
            }
            String token = args[i];
            if (!endOfOptions && token.equals("--")) {
                endOfOptions = true;
                continue;
            }
            if (endOfOptions || !isOptionLike(token)) {
                if (subcommand.positional() == null) {
                    throw badArguments("too many positional options have been specified on the "
                            + "command line");
                }
                put(values, subcommand.positional(), token);
                continue;
            }

            String name = token;
            String attached = null;
            int eq = token.indexOf('=');
            if (token.startsWith("--") && eq > 2) {
                name = token.substring(0, eq);
                attached = token.substring(eq + 1);
            }
            Option option = Option.named(name);
            if (option == null) {
                option = Option.attachedShort(token);
                if (option != null) {
                    attached = token.substring(2);
                }
            }
            if (option == null || !subcommand.accepts(option)) {
                throw badArguments("unrecognised option '" + token + "'");
            }

            String value;
            if (!option.takesValue()) {
                if (attached != null) {
                    throw badArguments("option '" + option.longName()
                            + "' does not take any arguments");
                }
                value = "";
            } else if (attached != null) {
                value = attached;
            } else if (i + 1 < args.length && !isOptionLike(args[i + 1])) {
                value = args[++i];
            } else {
                throw badArguments("the required argument for option '" + option.longName()
                        + "' is missing");
            }
            check(option, value);
            put(values, option, value);
        }
        return values;
    }

    private static void put(Map<Option, String> values, Option option, String value) {
        if (values.putIfAbsent(option, value) != null) {
            throw badArguments("option '" + option.longName()
                    + "' cannot be specified more than once");
        }
    }

    /** Checks a value against its option's kind, as nodetool's typed options do. */
    private static void check(Option option, String value) {
        boolean valid = switch (option.kind()) {
            case FLAG, TEXT -> true;
            case HOST -> isUsableHost(value);
            case PORT -> isDecimalUpTo(value, 65535) && Long.parseLong(value) >= 1;
            case UINT32 -> isDecimalUpTo(value, 0xFFFF_FFFFL);
        };
        if (!valid) {
            throw badArguments("the argument ('" + value + "') for option '" + option.longName()
                    + "' is invalid");
        }
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

    /** Whether {@code host} can stand in an {@code http://host:port/} URI; shared with {@code files}. */
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

    private static CliException badArguments(String message) {
        return new CliException(CliException.BAD_ARGUMENTS, "error: " + message);
    }

    private static CliException unknownOperation(String expected, String got) {
        String choices = expected.contains(",") ? "one of (" + expected + ")" : "'" + expected + "'";
        return new CliException(CliException.UNKNOWN_OPERATION,
                "error: unrecognized operation argument: expected " + choices + ", got "
                        + (got == null ? "nothing" : "'" + got + "'"));
    }
}
