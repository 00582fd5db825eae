package dev.taskmanager.cli;

/**
 * Makes text from a server safe to print: task names, entities, errors and messages can hold
 * anything, and a file named {@code a\nb} must not break a table row, nor one carrying
 * {@code ESC [2J} clear the operator's screen.
 *
 * <p>The rule: every control character is replaced by a visible escape, everything else is left
 * alone. {@code \n}, {@code \r} and {@code \t} become those two characters; every other C0
 * control (U+0000 to U+001F), DEL (U+007F) and every C1 control (U+0080 to U+009F, which some
 * terminals obey like ESC sequences) becomes {@code \xHH}, two lowercase hex digits (ESC is
 * {@code \x1b}). Backslashes are not doubled, so printable text, and with it every
 * nodetool-compatible output, is byte for byte what it was; the price is that the escaping cannot
 * be undone ({@code \n} may have been typed), which is why exact values are what
 * {@code --output json} is for.
 *
 * <p>It applies whether or not stdout is a terminal: output that contains no control character is
 * unchanged, and a script reading a pipe is no better served by a raw ESC than a person is.
 * Stateless and thread-safe.
 */
final class TerminalText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TerminalText() {
    }

    /** {@code text} with its control characters escaped; the same instance when it has none. */
    static String escape(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 8).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else {
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    /** C0, DEL and C1: the characters a terminal may act on instead of showing. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
