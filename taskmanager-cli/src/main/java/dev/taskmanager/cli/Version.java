package dev.taskmanager.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version printed by {@code --version}: the Maven project version, written into
 * {@code version.properties} by resource filtering when the module is built, so it is the same in
 * the jar, the app's shaded jar and the test classpath. A build that skipped the filtering prints
 * {@code unknown} rather than failing.
 */
final class Version {

    private Version() {
    }

    /** {@code taskmanager <version>} and a newline. */
    static String line() {
        return "taskmanager " + number() + "\n";
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown}. */
    static String number() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String version = properties.getProperty("version", "");
        return version.isBlank() || version.startsWith("${") ? "unknown" : version;
    }
}
