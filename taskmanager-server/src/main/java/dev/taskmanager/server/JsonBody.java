package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a v2 request body, a small JSON object, with jackson-core's streaming parser: field by field
 * into typed values, with explicit limits (nesting, string and number length, array size) on top of
 * the {@value ApiHandler#MAX_BODY_BYTES}-byte cap on the whole body. Nothing is bound by reflection.
 *
 * <p>An empty body reads as an empty object. What is not JSON, not one object, or holds a field twice
 * is a 400 {@link Problems#MALFORMED_BODY}; an unknown field or a value of the wrong type or size is
 * a 400 {@link Problems#INVALID_PARAMETER} naming the field ({@code ids[3]} for an array element).
 * One instance reads one body, on one thread.
 */
final class JsonBody {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(4)
                    .maxStringLength(ApiHandler.MAX_BODY_BYTES)
                    .maxNumberLength(32)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Reads the value of one field; the parser is on the value's first token. */
    @FunctionalInterface
    interface FieldReader {
        void read(JsonBody body) throws IOException;
    }

    private final JsonParser parser;
    private String field;

    private JsonBody(JsonParser parser) {
        this.parser = parser;
    }

    /**
     * Reads {@code body} as one JSON object whose fields are read by {@code fields}, by name.
     *
     * @throws ApiException 400 for anything but one object of known fields with valid values
     */
    static void readObject(byte[] body, Map<String, FieldReader> fields) {
        if (isBlank(body)) {
            return;
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonBody reader = new JsonBody(parser);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the request body must be a JSON object, e.g. " + example(fields));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                FieldReader fieldReader = fields.get(name);
                if (fieldReader == null) {
                    throw ApiException.badRequest("unknown field '" + Params.echo(name) + "' in the request body; "
                            + "it takes " + String.join(", ", new java.util.TreeSet<>(fields.keySet())))
                            .about(Params.echo(name), null);
                }
                parser.nextToken();
                reader.field = name;
                fieldReader.read(reader);
            }
            if (parser.nextToken() != null) {
                throw malformed("the request body holds more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            throw malformed("the request body is not valid JSON: " + e.getOriginalMessage()
                    + locationOf(e));
        } catch (IOException e) {
            throw malformed("the request body cannot be read: " + e.getMessage());
        }
    }

    /** A string, or {@code null} for JSON null; at most {@code maxLength} characters, no control characters but tab and newline. */
    String string(int maxLength) throws IOException {
        return string(field, maxLength);
    }

    private String string(String name, int maxLength) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw wrongType(name, "a string");
        }
        String text = parser.getText();
        if (text.length() > maxLength) {
            throw invalid(name, text, "longer than " + maxLength + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n') {
                throw invalid(name, text, String.format("control character \\u%04x at position %d", (int) c, i + 1));
            }
        }
        return text;
    }

    /** A string or a number, as its text (a duration may be either); {@code null} for JSON null. */
    String scalarText(int maxLength) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getText();
        }
        return string(maxLength);
    }

    /**
     * An array of strings, each at most {@code maxLength} characters; from 1 to {@code maxItems}.
     */
    List<String> strings(int maxItems, int maxLength) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw wrongType(field, "an array of strings");
        }
        List<String> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String name = field + "[" + items.size() + "]";
            if (items.size() == maxItems) {
                throw ApiException.badRequest("field '" + field + "' holds more than " + maxItems + " items")
                        .about(field, null);
            }
            String item = string(name, maxLength);
            if (item == null) {
                throw wrongType(name, "a string");
            }
            items.add(item);
        }
        if (items.isEmpty()) {
            throw ApiException.badRequest("field '" + field + "' must hold at least one item").about(field, "[]");
        }
        return items;
    }

    private ApiException wrongType(String name, String expected) throws IOException {
        JsonToken token = parser.currentToken();
        String got = token == JsonToken.START_OBJECT ? "an object" : token == JsonToken.START_ARRAY ? "an array"
                : parser.getText();
        return ApiException.badRequest("field '" + name + "' must be " + expected + ", got " + Params.echo(got))
                .about(name, Params.echo(got));
    }

    private static ApiException invalid(String name, String value, String reason) {
        return ApiException.badRequest("invalid value '" + Params.echo(value) + "' for field '" + name + "': " + reason)
                .about(name, Params.echo(value));
    }

    private static ApiException malformed(String detail) {
        return ApiException.badRequest(detail).ofType(Problems.MALFORMED_BODY);
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    private static String example(Map<String, FieldReader> fields) {
        return "{" + String.join(", ", fields.keySet().stream().map(f -> "\"" + f + "\": ...").toList()) + "}";
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
