package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembles the OpenAPI 3.1 document served at {@code /openapi.json} once, when the handler is
 * built: the resource {@code openapi.json} (the v2 and compat APIs), the test API's paths
 * ({@code openapi-test-api.json}) only when the test API is on, and the fragments that extension
 * routes contribute ({@link ApiOptions.Builder#openApi}), so that the document describes exactly the
 * routes this server answers.
 *
 * <p>A fragment is a JSON object holding any of {@code paths}, {@code components} and {@code tags};
 * its paths and components are added to the document's, its tags appended. A path operation or a
 * component that the document already has is refused ({@link IllegalArgumentException}), as is a
 * fragment that is not such an object. The JSON is handled as a plain tree with jackson-core (maps,
 * lists, strings, numbers kept as their text), so the server needs no object mapper.
 */
final class OpenApi {
    private static final Set<String> FRAGMENT_KEYS = Set.of("paths", "components", "tags");

    private OpenApi() {
    }

    /** The document for a server with or without the test API and with these extension fragments. */
    static byte[] document(boolean testApi, List<String> fragments) {
        Map<String, Object> doc = object(parse(resource("openapi.json")), "openapi.json");
        if (testApi) {
            merge(doc, object(parse(resource("openapi-test-api.json")), "openapi-test-api.json"),
                    "the test API's description");
        }
        for (String fragment : fragments) {
            merge(doc, checkFragment(fragment), "an extension's OpenAPI fragment");
        }
        return Json.render(g -> write(g, doc));
    }

    /**
     * Parses and checks an extension's fragment.
     *
     * @throws IllegalArgumentException if it is not a JSON object of {@code paths}, {@code components}
     *                                  and {@code tags}
     */
    static Map<String, Object> checkFragment(String fragment) {
        Object parsed;
        try {
            parsed = parse(fragment.getBytes(StandardCharsets.UTF_8));
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("an OpenAPI fragment must be JSON: " + e.getCause().getMessage(), e);
        }
        Map<String, Object> map = object(parsed, "an OpenAPI fragment");
        for (String key : map.keySet()) {
            if (!FRAGMENT_KEYS.contains(key)) {
                throw new IllegalArgumentException("an OpenAPI fragment may hold only paths, components and tags, "
                        + "not '" + key + "'");
            }
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> doc, Map<String, Object> fragment, String what) {
        Object paths = fragment.get("paths");
        if (paths != null) {
            Map<String, Object> into = (Map<String, Object>) doc.computeIfAbsent("paths", k -> new LinkedHashMap<>());
            for (Map.Entry<String, Object> path : object(paths, what + "'s paths").entrySet()) {
                Map<String, Object> operations = object(path.getValue(), what + "'s path " + path.getKey());
                Map<String, Object> existing = (Map<String, Object>) into.computeIfAbsent(path.getKey(),
                        k -> new LinkedHashMap<>());
                for (Map.Entry<String, Object> operation : operations.entrySet()) {
                    if (existing.putIfAbsent(operation.getKey(), operation.getValue()) != null) {
                        throw new IllegalArgumentException(what + " describes " + operation.getKey() + " "
                                + path.getKey() + ", which the document already describes");
                    }
                }
            }
        }
        Object components = fragment.get("components");
        if (components != null) {
            Map<String, Object> into = (Map<String, Object>) doc.computeIfAbsent("components", k -> new LinkedHashMap<>());
            for (Map.Entry<String, Object> section : object(components, what + "'s components").entrySet()) {
                Map<String, Object> existing = (Map<String, Object>) into.computeIfAbsent(section.getKey(),
                        k -> new LinkedHashMap<>());
                for (Map.Entry<String, Object> component : object(section.getValue(), what).entrySet()) {
                    if (existing.putIfAbsent(component.getKey(), component.getValue()) != null) {
                        throw new IllegalArgumentException(what + " defines components/" + section.getKey() + "/"
                                + component.getKey() + ", which the document already defines");
                    }
                }
            }
        }
        Object tags = fragment.get("tags");
        if (tags != null) {
            if (!(tags instanceof List)) {
                throw new IllegalArgumentException(what + "'s tags must be an array");
            }
            ((List<Object>) doc.computeIfAbsent("tags", k -> new ArrayList<>())).addAll((List<Object>) tags);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpenApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A number kept as its JSON text, written back unchanged. */
    private record RawNumber(String text) {
    }

    static Object parse(byte[] json) {
        try (JsonParser parser = Json.FACTORY.createParser(json)) {
            parser.nextToken();
            Object value = read(parser);
            if (parser.nextToken() != null) {
                throw new IOException("more than one JSON value");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw new IOException("no JSON value");
        }
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, read(parser));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(parser));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new RawNumber(parser.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + token);
        }
    }

    @SuppressWarnings("unchecked")
    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) value).entrySet()) {
                g.writeFieldName(entry.getKey());
                write(g, entry.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List) {
            g.writeStartArray();
            for (Object item : (List<Object>) value) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof RawNumber) {
            g.writeNumber(((RawNumber) value).text());
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else {
            g.writeNull();
        }
    }
}
