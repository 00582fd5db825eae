package dev.taskmanager.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task's labels as a JSON object of strings, the form both engines can filter on (SQLite's
 * {@code json_each}, PostgreSQL's {@code jsonb}). Writes compact JSON; reads any whitespace, as
 * PostgreSQL hands {@code jsonb} back reformatted. Stateless.
 */
final class LabelsJson {
    private LabelsJson() {
    }

    /** The labels as a JSON object, or {@code null} when there are none (stored as SQL NULL). */
    static String write(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return null;
        }
        StringBuilder json = new StringBuilder(16 * labels.size()).append('{');
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            string(json, label.getKey()).append(':');
            string(json, label.getValue());
        }
        return json.append('}').toString();
    }

    static StringBuilder string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': json.append("\\\""); break;
                case '\\': json.append("\\\\"); break;
                case '\n': json.append("\\n"); break;
                case '\r': json.append("\\r"); break;
                case '\t': json.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        return json.append('"');
    }

    /**
     * The labels in a JSON object of strings; empty for {@code null}.
     *
     * @throws IllegalArgumentException if the text is not such an object
     */
    static Map<String, String> read(String json) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (json == null) {
            return labels;
        }
        Reader reader = new Reader(json);
        reader.expect('{');
        if (reader.peek() == '}') {
            reader.expect('}');
            return labels;
        }
        do {
            String key = reader.string();
            reader.expect(':');
            labels.put(key, reader.string());
        } while (reader.comma());
        reader.expect('}');
        return labels;
    }

    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        char peek() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(at);
        }

        void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        boolean comma() {
            if (peek() == ',') {
                at++;
                return true;
            }
            return false;
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    throw error("unterminated escape");
                }
                char e = text.charAt(at++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u':
                        if (at + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                        break;
                    default: out.append(e); // \" \\ \/
                }
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed labels JSON at " + at + ": " + what);
        }
    }
}
