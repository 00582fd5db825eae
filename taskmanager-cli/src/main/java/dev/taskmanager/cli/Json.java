package dev.taskmanager.cli;

import java.util.List;

/**
 * A JSON value exactly as the server sent it: objects keep their members in order (status lines
 * are printed in server order, §14.4) and numbers keep their text (so {@code 2.5} prints as
 * {@code 2.5} and {@code 0} as {@code 0}, whatever their type on the server).
 *
 * <p>Values are immutable.
 */
sealed interface Json permits Json.Obj, Json.Arr, Json.Str, Json.Num, Json.Bool, Json.Null {

    /** The value as compact JSON text, e.g. {@code {}}, {@code "x"}, {@code 3}, {@code true}. */
    String toJsonText();

    /** One {@code "name": value} pair of an object. */
    record Member(String name, Json value) {
    }

    /** An object; duplicate names are kept, and {@link #get} answers the first. */
    record Obj(List<Member> members) implements Json {
        public Obj {
            members = List.copyOf(members);
        }

        /** The value of the first member with this name, or {@code null} if there is none. */
        Json get(String name) {
            for (Member m : members) {
                if (m.name().equals(name)) {
                    return m.value();
                }
            }
            return null;
        }

        @Override
        public String toJsonText() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(quote(members.get(i).name())).append(':')
                        .append(members.get(i).value().toJsonText());
            }
            return sb.append('}').toString();
        }
    }

    /** An array. */
    record Arr(List<Json> elements) implements Json {
        public Arr {
            elements = List.copyOf(elements);
        }

        @Override
        public String toJsonText() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(elements.get(i).toJsonText());
            }
            return sb.append(']').toString();
        }
    }

    /** A string, unescaped. */
    record Str(String value) implements Json {
        @Override
        public String toJsonText() {
            return quote(value);
        }
    }

    /** A number, as the text that appeared in the body (already checked to be a JSON number). */
    record Num(String text) implements Json {
        @Override
        public String toJsonText() {
            return text;
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements Json {
        @Override
        public String toJsonText() {
            return Boolean.toString(value);
        }
    }

    /** {@code null}. */
    enum Null implements Json {
        INSTANCE;

        @Override
        public String toJsonText() {
            return "null";
        }
    }

    /**
     * Quotes and escapes a string as JSON text. Beyond what JSON requires (C0 controls), DEL, the
     * C1 controls and U+2028/U+2029 are written as six-character escapes too, so that JSON text
     * printed on a terminal can carry no control sequence; the value is the same.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
