package dev.taskmanager.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one JSON document (RFC 8259, strictly) into a {@link Json} value with jackson-core's
 * streaming parser, keeping what the server sent: members in their order, duplicates included,
 * and numbers as their text ({@link JsonParser#getText()} of a number token is the input's text,
 * so {@code 2.50} stays {@code 2.50}). Only the streaming layer is used: a data-binding library
 * would cost start-up time and normalise exactly what the CLI must print as sent.
 *
 * <p>{@link #parse} reads a whole text; {@link #read} reads a stream as it arrives, for answers too
 * large to hold (a task tree).
 *
 * <p>Malformed input raises {@link IllegalArgumentException} whose message names what was wrong
 * and the offset; nesting deeper than {@value #MAX_DEPTH} is refused rather than overflowing the
 * stack. Stateless and thread-safe (the factory is).
 */
final class JsonReader {

    static final int MAX_DEPTH = 512;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            // A response's few dozen distinct names are not worth a shared symbol table.
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private JsonReader() {
    }

    /** Parses one complete document; only whitespace may surround the value. */
    static Json parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw error("expected a value", parser.currentLocation());
            }
            Json value = value(parser);
            if (parser.nextToken() != null) {
                throw error("expected end of input", parser.currentTokenLocation());
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("expected at most " + MAX_DEPTH
                    + " levels of nesting" + offset(e.getLocation()), e);
        } catch (JsonProcessingException e) {
            throw error(e.getOriginalMessage(), e.getLocation());
        } catch (IOException e) {
            // a String source cannot fail to read; keep the contract anyway
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Reads a document token by token: the parser stands on the document's first token. */
    @FunctionalInterface
    interface Reading<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * Reads one complete document from {@code in} as it arrives, with {@code reading} (which may
     * use {@link #value} for the parts it keeps, and skip the rest); only whitespace may follow.
     * So a large answer is never held whole.
     *
     * @throws IllegalArgumentException if the input is not one JSON document, naming the problem
     *                                  and the offset, or if {@code reading} refuses it
     * @throws IOException              if {@code in} cannot be read
     */
    static <T> T read(InputStream in, Reading<T> reading) throws IOException {
        try (JsonParser parser = FACTORY.createParser(in)) {
            if (parser.nextToken() == null) {
                throw error("expected a value", parser.currentLocation());
            }
            T result = reading.read(parser);
            if (parser.nextToken() != null) {
                throw error("expected end of input", parser.currentTokenLocation());
            }
            return result;
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("expected at most " + MAX_DEPTH
                    + " levels of nesting" + offset(e.getLocation()), e);
        } catch (JsonProcessingException e) {
            throw error(e.getOriginalMessage(), e.getLocation());
        }
    }

    /** The value starting at the parser's current token, leaving the parser on its last token. */
    static Json value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> new Json.Str(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Json.Num(parser.getText());
            case VALUE_TRUE -> new Json.Bool(true);
            case VALUE_FALSE -> new Json.Bool(false);
            case VALUE_NULL -> Json.Null.INSTANCE;
            default -> throw error("unexpected " + token, parser.currentTokenLocation());
        };
    }

    private static Json.Obj object(JsonParser parser) throws IOException {
        List<Json.Member> members = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            members.add(new Json.Member(name, value(parser)));
        }
        return new Json.Obj(members);
    }

    private static Json.Arr array(JsonParser parser) throws IOException {
        List<Json> elements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            elements.add(value(parser));
        }
        return new Json.Arr(elements);
    }

    private static IllegalArgumentException error(String message, JsonLocation location) {
        return new IllegalArgumentException(message + offset(location));
    }

    private static String offset(JsonLocation location) {
        long offset = location == null ? -1 : location.getCharOffset();
        return offset < 0 ? " at offset ?" : " at offset " + offset;
    }
}
