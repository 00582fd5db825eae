package dev.taskmanager;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A task's labels (SPEC §21): a small immutable map, iterated in key order so that every
 * rendering of it is the same, stored as two arrays (no entry objects) because a million retained
 * tasks may each carry a few.
 */
final class Labels extends AbstractMap<String, String> {
    /** At most this many labels per task. */
    static final int MAX_LABELS = 32;
    /** At most this many characters in a key. */
    static final int MAX_KEY_LENGTH = 128;
    /** At most this many characters in a value. */
    static final int MAX_VALUE_LENGTH = 1024;

    static final Labels NONE = new Labels(new String[0], new String[0]);

    private final String[] keys;
    private final String[] values;

    private Labels(String[] keys, String[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** The labels as an immutable map in key order; the same object if it already is one. */
    static Labels of(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return NONE;
        }
        if (labels instanceof Labels) {
            return (Labels) labels;
        }
        String[] keys = new String[labels.size()];
        int i = 0;
        for (String key : labels.keySet()) {
            keys[i++] = Objects.requireNonNull(key, "label key");
        }
        Arrays.sort(keys);
        String[] values = new String[keys.length];
        for (i = 0; i < keys.length; i++) {
            values[i] = Objects.requireNonNull(labels.get(keys[i]), () -> "label value");
        }
        return new Labels(keys, values);
    }

    /**
     * Checks one label for a builder.
     *
     * @throws IllegalArgumentException naming the label if the key is empty or too long, or the value too long
     */
    static void validate(String key, String value) {
        Objects.requireNonNull(key, "label key");
        Objects.requireNonNull(value, () -> "value of label '" + key + "'");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a label key must have 1 to " + MAX_KEY_LENGTH + " characters, got '"
                    + abbreviate(key) + "' (" + key.length() + ")");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("the value of label '" + key + "' must have at most "
                    + MAX_VALUE_LENGTH + " characters, got " + value.length());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** The key of the {@code i}-th label in key order. */
    String keyAt(int i) {
        return keys[i];
    }

    /** The value of the {@code i}-th label in key order. */
    String valueAt(int i) {
        return values[i];
    }

    @Override
    public String get(Object key) {
        int i = key instanceof String ? Arrays.binarySearch(keys, key) : -1;
        return i >= 0 ? values[i] : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String && Arrays.binarySearch(keys, key) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
